using Microsoft.Extensions.Options;

namespace CcBot.Core.Pipeline;

/// <summary>
/// Bookkeeping of replies a channel could not take: each reply's attempts and when it is due again (exponential backoff
/// with jitter, never sooner than the channel's Retry-After), and which conversations have such a backlog, so that a newer
/// reply waits behind an older one instead of overtaking it. After <c>Pipeline:MaxSendAttempts</c> a reply is given up
/// (marked failed, listed in the console). Per process: after a restart every unsent reply is tried again at once.
/// </summary>
public sealed class ReplyRetries(IOptions<PipelineOptions> options, TimeProvider clock)
{
    /// <summary>The outcome recorded for a reply held back behind an earlier one of its conversation.</summary>
    public static readonly SendOutcome QueuedBehind = new(SendStatus.Retry, Error: "waiting for an earlier reply of this conversation");

    private readonly object _gate = new();
    private readonly Dictionary<long, (int Attempts, DateTimeOffset DueAt)> _replies = [];
    private readonly HashSet<string> _backlog = new(StringComparer.Ordinal);

    public bool HasBacklog(string conversationKey)
    {
        lock (_gate)
        {
            return _backlog.Contains(conversationKey);
        }
    }

    /// <summary>
    /// Records the outcome of one send of reply <paramref name="seq"/>: a transient failure gets its backoff (or, with its
    /// attempts used up, becomes a permanent failure) and leaves <paramref name="conversationKey"/> with a backlog; any
    /// other outcome forgets the reply. Returns the outcome to store.
    /// </summary>
    public SendOutcome Record(long seq, string conversationKey, SendOutcome outcome)
    {
        if (outcome.Status != SendStatus.Retry)
        {
            Done(seq);
            return outcome;
        }

        outcome = Failed(seq, outcome);
        if (outcome.Status == SendStatus.Retry)
        {
            MarkBacklog(conversationKey);
        }

        return outcome;
    }

    private void MarkBacklog(string conversationKey)
    {
        lock (_gate)
        {
            _backlog.Add(conversationKey);
        }
    }

    public void ClearBacklog(string conversationKey)
    {
        lock (_gate)
        {
            _backlog.Remove(conversationKey);
        }
    }

    /// <summary>True when reply <paramref name="seq"/> may be sent now (never tried, or its backoff is over).</summary>
    public bool IsDue(long seq)
    {
        lock (_gate)
        {
            return !_replies.TryGetValue(seq, out var r) || r.DueAt <= clock.GetUtcNow();
        }
    }

    /// <summary>
    /// Records a failed attempt. Returns the outcome to store: <paramref name="outcome"/> (retry later, due after the backoff)
    /// or, once the attempts are used up, a permanent failure naming them.
    /// </summary>
    private SendOutcome Failed(long seq, SendOutcome outcome)
    {
        var o = options.Value;
        lock (_gate)
        {
            var attempts = (_replies.TryGetValue(seq, out var r) ? r.Attempts : 0) + 1;
            if (attempts >= o.MaxSendAttempts)
            {
                _replies.Remove(seq);
                return new SendOutcome(SendStatus.Failed, Error: $"gave up after {attempts} attempts: {outcome.Error}");
            }

            var delay = Backoff(attempts, o);
            if (outcome.RetryAfter is { } after && after > delay)
            {
                delay = after;
            }

            _replies[seq] = (attempts, clock.GetUtcNow() + delay);
            return outcome;
        }
    }

    /// <summary>Forgets reply <paramref name="seq"/> (sent, given up, or unreachable).</summary>
    private void Done(long seq)
    {
        lock (_gate)
        {
            _replies.Remove(seq);
        }
    }

    /// <summary>Base × 2^(attempt−1), capped, times a random 0.8–1.2 so that many failed replies do not come back at once.</summary>
    private static TimeSpan Backoff(int attempts, PipelineOptions o)
    {
        var seconds = Math.Min(o.RetryMaxSeconds, o.RetryBaseSeconds * Math.Pow(2, Math.Min(30, attempts - 1)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }
}
