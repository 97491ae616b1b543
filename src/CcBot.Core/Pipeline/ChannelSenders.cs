using CcBot.Core.Activities;
using Microsoft.Extensions.Logging;

namespace CcBot.Core.Pipeline;

/// <summary>A channel whose clients read the stored transcript (Direct Line): storing a reply is its delivery.</summary>
public sealed record TranscriptChannel(string Name);

/// <summary>
/// Finds the sender for a channel. A channel is one of three kinds: it pushes (a sender is registered), it is read from the
/// transcript (<see cref="TranscriptChannel"/>: storing delivers), or it is off (neither, e.g. Telegram without a token):
/// then nothing is delivered and replies stay pending until the channel is on again.
/// </summary>
public sealed class ChannelSenders(IEnumerable<IChannelSender> senders, IEnumerable<TranscriptChannel> transcriptChannels, ILogger<ChannelSenders> logger)
{
    private readonly Dictionary<string, IChannelSender> _byChannel = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);
    private readonly HashSet<string> _transcript = transcriptChannels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The outcome of a send on a channel that is off: not delivered, not a failure of the message.</summary>
    public static readonly SendOutcome ChannelOff = new(SendStatus.Retry, Error: "channel off");

    /// <summary>True when replies on <paramref name="channel"/> must be pushed by a sender.</summary>
    public bool Pushes(string channel) => _byChannel.ContainsKey(channel);

    /// <summary>True when storing a reply on <paramref name="channel"/> delivers it (its clients read the transcript).</summary>
    public bool DeliversByStoring(string channel) => !_byChannel.ContainsKey(channel) && _transcript.Contains(channel);

    /// <summary>True when <paramref name="channel"/> has neither a sender nor transcript readers: nothing sent there arrives.</summary>
    public bool IsOff(string channel) => !_byChannel.ContainsKey(channel) && !_transcript.Contains(channel);

    /// <summary>
    /// Sends one stored reply. On a channel that is off it returns <see cref="ChannelOff"/>: callers leave the reply pending
    /// (check <see cref="IsOff"/> first) rather than record a delivery.
    /// </summary>
    public async Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken)
    {
        if (!_byChannel.TryGetValue(to.Channel, out var sender))
        {
            return _transcript.Contains(to.Channel) ? SendOutcome.Ok() : ChannelOff;
        }

        try
        {
            return await sender.SendAsync(to, message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sending reply {Seq} on {Channel} failed", message.Seq, to.Channel);
            return new SendOutcome(SendStatus.Retry, Error: ex.Message);
        }
    }
}

/// <summary>Persists a proactive message, then delivers it through the channel's sender.</summary>
public sealed class ProactiveMessenger(IConversationStore store, ChannelSenders senders, ReplyRetries retries, TimeProvider clock, OutboundNotifier notifier) : IProactiveMessenger
{
    public async Task<SendOutcome> SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken)
    {
        var byStoring = senders.DeliversByStoring(to.Channel);
        var stored = await store.AppendOutboundAsync(to, message, clock.GetUtcNow(), cancellationToken, delivered: byStoring).ConfigureAwait(false);
        notifier.Notify(to.ConversationKey);
        if (byStoring)
        {
            return SendOutcome.Ok();
        }

        if (senders.IsOff(to.Channel))
        {
            // Stored and left pending: sent at the next start with the channel on; the caller learns it was not delivered.
            return ChannelSenders.ChannelOff;
        }

        if (retries.HasBacklog(to.ConversationKey))
        {
            // Behind an earlier reply still to be re-sent: it goes after that one, in order.
            await store.MarkOutboundAsync(stored.Seq, ReplyRetries.QueuedBehind, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return ReplyRetries.QueuedBehind;
        }

        var outcome = retries.Record(stored.Seq, to.ConversationKey, await senders.SendAsync(to, stored, cancellationToken).ConfigureAwait(false));

        await store.MarkOutboundAsync(stored.Seq, outcome, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return outcome;
    }
}

/// <summary>
/// Signal that a conversation has new transcript rows (wakes Direct Line WebSocket streams). In-process; with
/// several instances on PostgreSQL a relay attached by <see cref="AttachRelay"/> forwards each signal to the others.
/// </summary>
public sealed class OutboundNotifier
{
    private readonly Dictionary<string, List<Action>> _listeners = new(StringComparer.Ordinal);
    private volatile Action<string>? _relay;

    /// <summary>Forwards every <see cref="Notify"/> to other instances (which call <see cref="NotifyLocal"/>).</summary>
    public void AttachRelay(Action<string> relay) => _relay = relay;

    public IDisposable Subscribe(string conversationKey, Action onChange)
    {
        lock (_listeners)
        {
            if (!_listeners.TryGetValue(conversationKey, out var list))
            {
                _listeners[conversationKey] = list = [];
            }

            list.Add(onChange);
        }

        return new Subscription(this, conversationKey, onChange);
    }

    public void Notify(string conversationKey)
    {
        NotifyLocal(conversationKey);
        _relay?.Invoke(conversationKey);
    }

    /// <summary>Wakes this process's listeners only (a signal relayed from another instance).</summary>
    public void NotifyLocal(string conversationKey)
    {
        Action[] targets;
        lock (_listeners)
        {
            if (!_listeners.TryGetValue(conversationKey, out var list))
            {
                return;
            }

            targets = [.. list];
        }

        foreach (var t in targets)
        {
            t();
        }
    }

    private sealed class Subscription(OutboundNotifier owner, string key, Action action) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._listeners)
            {
                if (owner._listeners.TryGetValue(key, out var list))
                {
                    list.Remove(action);
                    if (list.Count == 0)
                    {
                        owner._listeners.Remove(key);
                    }
                }
            }
        }
    }
}
