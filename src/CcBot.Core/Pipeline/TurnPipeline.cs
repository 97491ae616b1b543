using CcBot.Core.Activities;
using CcBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Pipeline;

/// <summary>Bound from the <c>Pipeline</c> configuration section.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Conversations handled at the same time.</summary>
    public int MaxParallelConversations { get; set; } = 64;

    /// <summary>Longer texts are stored whole but only this much is read by the bot.</summary>
    public int MaxHandledTextLength { get; set; } = 2000;

    /// <summary>How often replies that a channel could not take for the moment are tried again.</summary>
    public int RetryIntervalSeconds { get; set; } = 60;

    /// <summary>Attempts of one reply (the first send included) before it is given up and marked failed.</summary>
    public int MaxSendAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed attempt; doubled after each further one (with ±20% jitter).</summary>
    public double RetryBaseSeconds { get; set; } = 30;

    /// <summary>Longest wait between two attempts.</summary>
    public double RetryMaxSeconds { get; set; } = 3600;
}

/// <summary>
/// The inbox and turn runner: dedupe + persist the inbound activity, then (in conversation order) load state,
/// run the handler, commit state and replies in one transaction, and hand the replies to the channel sender.
/// </summary>
public sealed class TurnPipeline(
    IConversationStore store,
    IConversationLock conversationLock,
    ITurnHandler handler,
    ChannelSenders senders,
    ReplyRetries retries,
    OutboundNotifier notifier,
    ITextCatalog texts,
    TimeProvider clock,
    IOptions<PipelineOptions> options,
    Telemetry.CcBotMetrics metrics,
    ILogger<TurnPipeline> logger) : IInbox
{
    private readonly ConversationLanes _lanes = new(options.Value.MaxParallelConversations);
    private readonly object _gate = new();
    private int _inFlight;
    private TaskCompletionSource _idle = CompletedSource();

    public async Task<InboxReceipt> SubmitAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var accepted = await store.AcceptInboundAsync(activity, cancellationToken).ConfigureAwait(false);
        if (System.Diagnostics.Activity.Current is { IsAllDataRequested: true } request)
        {
            // The request (webhook, POST) that brought the activity says what it stored; no span of its own: the turn is one.
            request.SetTag("ccbot.channel", activity.Channel);
            request.SetTag("ccbot.duplicate", accepted.Duplicate);
        }

        if (accepted.Duplicate)
        {
            logger.LogDebug("Duplicate activity {Channel}/{Id} ignored", activity.Channel, activity.Id);
            return new InboxReceipt(true, accepted.Seq, Task.CompletedTask);
        }

        notifier.Notify(activity.ConversationKey);
        metrics.ActivityReceived(activity.Channel);
        var handled = Schedule(activity, accepted.Seq);
        return new InboxReceipt(false, accepted.Seq, handled);
    }

    /// <summary>Schedules an already stored activity (used again after a restart for activities never handled).</summary>
    internal Task Schedule(InboundActivity activity, long seq)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The turn runs on its conversation's lane, not in this request's flow: its span names this request as parent.
        var parent = System.Diagnostics.Activity.Current?.Context ?? default;
        lock (_gate)
        {
            if (_inFlight++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        _lanes.Enqueue(activity.ConversationKey, async () =>
        {
            try
            {
                await RunTurnAsync(activity, seq, parent).ConfigureAwait(false);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Turn for {Channel}/{Id} failed", activity.Channel, activity.Id);
                done.TrySetException(ex);
            }
            finally
            {
                lock (_gate)
                {
                    if (--_inFlight == 0)
                    {
                        _idle.TrySetResult();
                    }
                }
            }
        });
        return done.Task;
    }

    /// <summary>
    /// Waits until every scheduled turn has finished (replies sent and recorded), or the token fires.
    /// Called on shutdown so a reply is never sent without being marked sent, which a restart would send again.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Task idle;
        lock (_gate)
        {
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown did not wait for {Count} unfinished turns; they are handled again at the next start", Volatile.Read(ref _inFlight));
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    private async Task RunTurnAsync(InboundActivity activity, long seq, System.Diagnostics.ActivityContext parent)
    {
        // With several instances, an earlier message of this conversation may have reached another instance and
        // still be waiting: the session lists those first, then this one (unless it was run meanwhile).
        var session = await conversationLock.BeginAsync(activity, seq, CancellationToken.None).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            foreach (var turn in session.Turns)
            {
                await RunOneTurnAsync(session, turn.Activity, turn.Seq, turn.Seq == seq ? parent : default).ConfigureAwait(false);
            }
        }
    }

    private async Task RunOneTurnAsync(ITurnSession session, InboundActivity activity, long seq, System.Diagnostics.ActivityContext parent)
    {
        var ct = CancellationToken.None;
        using var span = Telemetry.CcBotTracing.Source.StartActivity("ccbot.turn", System.Diagnostics.ActivityKind.Internal, parent);
        // A turn not sampled (or not listened to) gets no child spans and no tags: they would be dropped anyway.
        var traced = span is { IsAllDataRequested: true };
        if (traced)
        {
            span!.SetTag("ccbot.channel", activity.Channel);
            span.SetTag("ccbot.conversation", TurnLogScope.Hash(activity.ConversationKey));
        }

        // Every log line of the turn (any component's) carries these: the activity, its channel and the conversation as a
        // hash (a chat id can identify a person; the hash still groups a conversation's lines).
        using var scope = logger.BeginScope(TurnLogScope.For(activity, seq));
        if (await session.LoadAsync(new PendingInbound(seq, activity), ct).ConfigureAwait(false) is not { } snapshot)
        {
            return;
        }

        var handledActivity = Truncate(activity);
        var started = clock.GetTimestamp();
        var turn = new TurnContext(handledActivity, snapshot.State, snapshot.User, clock.GetUtcNow());
        var state = snapshot.State;
        var failed = false;
        try
        {
            using var handle = traced ? Telemetry.CcBotTracing.Source.StartActivity("ccbot.turn.handle") : null;
            await handler.HandleAsync(turn, ct).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failed = true;
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            logger.LogError(ex, "Handler failed for {Channel}/{Id}; the conversation state is kept as before the turn", activity.Channel, activity.Id);
            turn.ClearReplies();
            turn.Reply(texts.Get("error.generic"));
            state = ConversationState.FromJson(snapshot.StateJson);
        }

        if (traced)
        {
            if (turn.Trace.TryGetValue("nlu.intent", out var intent))
            {
                span!.SetTag("ccbot.intent", intent);
            }

            span!.SetTag("ccbot.outcome", failed ? "error" : turn.Escalations.Count > 0 ? "escalated" : "answered");
        }

        var pushes = senders.Pushes(activity.Channel);
        IReadOnlyList<StoredOutbound> stored;
        using (traced ? Telemetry.CcBotTracing.Source.StartActivity("ccbot.turn.commit") : null)
        {
            stored = await session.CommitAsync(
                new TurnCommit(seq, activity, snapshot, state, turn.User, turn.Replies, turn.Escalations, turn.Now,
                    RepliesDeliveredOnStore: senders.DeliversByStoring(activity.Channel)), ct).ConfigureAwait(false);
        }
        if (stored.Count > 0)
        {
            notifier.Notify(activity.ConversationKey);
        }

        var elapsed = clock.GetElapsedTime(started);
        metrics.TurnCompleted(activity.Channel, elapsed, failed);
        logger.LogDebug("Turn {Seq} committed: {Replies} replies, {Escalations} escalations, {Milliseconds} ms", seq, stored.Count, turn.Escalations.Count, (int)elapsed.TotalMilliseconds);
        if (turn.Escalations.Count > 0)
        {
            metrics.Escalated(activity.Channel, turn.Escalations.Count);
        }

        foreach (var work in turn.AfterCommitWork)
        {
            try
            {
                await work(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "After-commit work for {Channel}/{Id} failed", activity.Channel, activity.Id);
            }
        }

        if (!pushes)
        {
            // Delivered by storing, or the channel is off: then the replies stay pending until it is on again.
            return;
        }

        // Replies go out in order: behind an earlier reply of this conversation still waiting to be re-sent, and behind
        // one of this turn that the channel did not take, the rest wait (re-sent in order by RecoveryService).
        var key = activity.ConversationKey;
        var held = retries.HasBacklog(key);
        foreach (var reply in stored)
        {
            if (held)
            {
                await store.MarkOutboundAsync(reply.Seq, ReplyRetries.QueuedBehind, clock.GetUtcNow(), ct).ConfigureAwait(false);
                metrics.ReplySent(activity.Channel, "queued");
                continue;
            }

            using var send = traced ? Telemetry.CcBotTracing.Source.StartActivity("ccbot.reply.send") : null;
            var outcome = retries.Record(reply.Seq, key, await senders.SendAsync(activity.From, reply, ct).ConfigureAwait(false));
            send?.SetTag("ccbot.status", outcome.Status.ToString());
            metrics.ReplySent(activity.Channel, outcome.Status.ToString().ToLowerInvariant());
            held = outcome.Status == SendStatus.Retry;
            await store.MarkOutboundAsync(reply.Seq, outcome, clock.GetUtcNow(), ct).ConfigureAwait(false);
            if (outcome.Status == SendStatus.Unreachable)
            {
                break;
            }
        }
    }

    private InboundActivity Truncate(InboundActivity activity)
    {
        var max = options.Value.MaxHandledTextLength;
        return activity.Text is { Length: var n } text && n > max
            ? activity with { Text = text[..max], Properties = new Dictionary<string, string>(activity.Properties) { ["truncated"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) } }
            : activity;
    }
}
