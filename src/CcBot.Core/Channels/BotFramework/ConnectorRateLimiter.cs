namespace CcBot.Core.Channels.BotFramework;

/// <summary>
/// Paces calls to the Connector below the Teams limits (protocols.md B6.2–B6.3): per conversation (thread)
/// 7 per second, 8 per 2 seconds, 60 per 30 seconds; per app 50 per second. Callers wait for their turn instead of
/// collecting 429s; a 429 that still comes is handled by the sender's Retry-After logic.
/// </summary>
public sealed class ConnectorRateLimiter(TimeProvider clock)
{
    private static readonly (int Count, TimeSpan Window)[] PerConversation =
    [
        (7, TimeSpan.FromSeconds(1)),
        (8, TimeSpan.FromSeconds(2)),
        (60, TimeSpan.FromSeconds(30)),
    ];

    private static readonly (int Count, TimeSpan Window)[] PerApp = [(50, TimeSpan.FromSeconds(1))];
    private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(30);

    private readonly object _lock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byConversation = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _app = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>Number of conversations currently tracked (for tests and diagnostics).</summary>
    public int TrackedConversations
    {
        get
        {
            lock (_lock)
            {
                return _byConversation.Count;
            }
        }
    }

    /// <summary>Waits until one more call for <paramref name="conversationKey"/> stays within the limits, and books it.</summary>
    public async Task WaitTurnAsync(string conversationKey, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = clock.GetUtcNow();
                Sweep(now);
                if (!_byConversation.TryGetValue(conversationKey, out var sent))
                {
                    _byConversation[conversationKey] = sent = new Queue<DateTimeOffset>();
                }

                Trim(sent, now);
                Trim(_app, now, PerApp[0].Window);
                wait = TimeSpan.Zero;
                foreach (var limit in PerConversation)
                {
                    wait = Max(wait, WaitFor(sent, limit, now));
                }

                wait = Max(wait, WaitFor(_app, PerApp[0], now));
                if (wait <= TimeSpan.Zero)
                {
                    sent.Enqueue(now);
                    _app.Enqueue(now);
                    return;
                }
            }

            await Task.Delay(wait + TimeSpan.FromMilliseconds(1), clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How long until fewer than <c>limit.Count</c> calls fall in the window ending now.</summary>
    private static TimeSpan WaitFor(Queue<DateTimeOffset> sent, (int Count, TimeSpan Window) limit, DateTimeOffset now)
    {
        var inWindow = sent.Where(t => now - t < limit.Window).ToList();
        if (inWindow.Count < limit.Count)
        {
            return TimeSpan.Zero;
        }

        // The oldest call that must leave the window before one more fits.
        var leaving = inWindow[inWindow.Count - limit.Count];
        return leaving + limit.Window - now;
    }

    private static void Trim(Queue<DateTimeOffset> sent, DateTimeOffset now, TimeSpan? horizon = null)
    {
        var keep = horizon ?? Horizon;
        while (sent.Count > 0 && now - sent.Peek() >= keep)
        {
            sent.Dequeue();
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < Horizon)
        {
            return;
        }

        _lastSweep = now;
        foreach (var key in _byConversation.Where(kv => kv.Value.Count == 0 || now - kv.Value.Last() >= Horizon).Select(kv => kv.Key).ToList())
        {
            _byConversation.Remove(key);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
