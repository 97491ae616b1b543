using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CcBot.Core.Pipeline;

/// <summary>
/// At start-up: handles inbound activities stored but never handled (the host stopped mid-turn) and
/// re-sends replies stored but never confirmed sent. Then re-sends replies
/// a channel sender gave up on for the moment (status "retry"), every <c>Pipeline:RetryIntervalSeconds</c>. Nothing accepted is lost across a crash.
/// On a graceful stop it lets running turns finish first (the host's shutdown timeout bounds the wait).
/// </summary>
public sealed class RecoveryService(
    IConversationStore store,
    IConversationLock conversationLock,
    TurnPipeline pipeline,
    ChannelSenders senders,
    ReplyRetries retries,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<PipelineOptions> options,
    ILogger<RecoveryService> logger)
    : IHostedService, IDisposable
{
    private TimeSpan RetryInterval => TimeSpan.FromSeconds(options.Value.RetryIntervalSeconds);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retryLoop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken).ConfigureAwait(false);
        _retryLoop = RetryLoopAsync(_stopping.Token);
    }

    private async Task RetryLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(RetryInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await RetryOnceAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One tick: takes over orphaned turns and re-sends replies. A failure is logged and the next tick tries again.</summary>
    private async Task RetryOnceAsync(CancellationToken ct)
    {
        try
        {
            if (conversationLock.AcrossInstances)
            {
                // Another instance may have stopped mid-turn: its orphaned activities are taken over here
                // (the store returns only those pending for a while; the conversation lock skips any finished meanwhile).
                foreach (var p in await store.GetUnhandledInboundAsync(1_000, ct).ConfigureAwait(false))
                {
                    _ = pipeline.Schedule(p.Activity, p.Seq);
                }
            }

            var retries = await store.GetUnsentOutboundAsync(1_000, ct, includePending: false).ConfigureAwait(false);
            await SendAllAsync(retries, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Re-sending replies failed; tried again in {Interval}", RetryInterval);
        }
    }

    /// <summary>
    /// Sends each conversation's unsent replies oldest first; a reply that is not due yet (backoff) or fails again holds
    /// back the newer ones of its conversation. A reply whose attempts are used up is marked failed and no longer holds.
    /// </summary>
    private async Task SendAllAsync(IReadOnlyList<PendingOutbound> unsent, CancellationToken ct)
    {
        foreach (var conversation in unsent.GroupBy(o => o.To.ConversationKey, StringComparer.Ordinal))
        {
            var cleared = true;
            foreach (var o in conversation.OrderBy(o => o.Message.Seq))
            {
                if (senders.IsOff(o.To.Channel) || !retries.IsDue(o.Message.Seq))
                {
                    cleared = false; // left for a later round (or a start with the channel on)
                    break;
                }

                var outcome = retries.Record(o.Message.Seq, conversation.Key, await senders.SendAsync(o.To, o.Message, ct).ConfigureAwait(false));
                await store.MarkOutboundAsync(o.Message.Seq, outcome, clock.GetUtcNow(), ct).ConfigureAwait(false);
                if (outcome.Status == SendStatus.Retry)
                {
                    cleared = false;
                    break;
                }

                if (outcome.Status == SendStatus.Failed)
                {
                    logger.LogWarning("Reply {Seq} to {Conversation} given up: {Error}", o.Message.Seq, conversation.Key, outcome.Error);
                }
            }

            if (cleared)
            {
                retries.ClearBacklog(conversation.Key);
            }
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var pending = await store.GetUnhandledInboundAsync(10_000, cancellationToken).ConfigureAwait(false);
        foreach (var p in pending)
        {
            _ = pipeline.Schedule(p.Activity, p.Seq);
        }

        var unsent = await store.GetUnsentOutboundAsync(10_000, cancellationToken).ConfigureAwait(false);
        if (pending.Count + unsent.Count > 0)
        {
            logger.LogInformation("Recovery: {In} inbound activities to handle, {Out} replies to send", pending.Count, unsent.Count);
        }

        await SendAllAsync(unsent, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _retryLoop.ConfigureAwait(false);
        await pipeline.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();
}
