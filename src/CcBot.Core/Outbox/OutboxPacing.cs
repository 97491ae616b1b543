namespace CcBot.Core.Outbox;

/// <summary>
/// A channel's sending limits as seen by the outbox: waits until one more message may go to a conversation.
/// Channels whose sender paces itself (Telegram: <c>TelegramRateLimiter</c>, global and per chat) need none.
/// </summary>
public interface IOutboxPacing
{
    /// <summary>Channel ids this policy applies to.</summary>
    IReadOnlyCollection<string> Channels { get; }

    ValueTask WaitAsync(string conversationKey, CancellationToken cancellationToken);
}

/// <summary>One sliding-window limit: at most <see cref="Count"/> sends per <see cref="Window"/>.</summary>
public sealed record RateWindow(int Count, TimeSpan Window);

/// <summary>
/// Per-conversation sliding windows with slot reservation: a caller reserves the earliest instant at which every window
/// still has room, then waits for it. Reservations are kept per conversation (only the last sends within the longest window).
/// </summary>
public class SlidingWindowPacing : IOutboxPacing
{
    private readonly TimeProvider _clock;
    private readonly IReadOnlyList<RateWindow> _windows;
    private readonly TimeSpan _longest;
    private readonly Dictionary<string, List<DateTimeOffset>> _sent = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public SlidingWindowPacing(IReadOnlyCollection<string> channels, IReadOnlyList<RateWindow> windows, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfZero(windows.Count);
        Channels = channels;
        _windows = windows;
        _longest = windows.Max(w => w.Window);
        _clock = clock;
    }

    public IReadOnlyCollection<string> Channels { get; }

    public async ValueTask WaitAsync(string conversationKey, CancellationToken cancellationToken)
    {
        var delay = Reserve(conversationKey);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reserves the next allowed slot and returns how long to wait for it.</summary>
    public TimeSpan Reserve(string conversationKey)
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (!_sent.TryGetValue(conversationKey, out var times))
            {
                _sent[conversationKey] = times = [];
            }

            times.RemoveAll(t => t <= now - _longest);
            // Reservations per conversation are in order: never before the last one.
            var at = times.Count > 0 && times[^1] > now ? times[^1] : now;
            var moved = true;
            while (moved)
            {
                moved = false;
                foreach (var w in _windows)
                {
                    // Sends inside (at - window, at]: if full, move to just after the oldest of the last Count leaves the window.
                    var inWindow = times.Where(t => t > at - w.Window).ToList();
                    if (inWindow.Count >= w.Count)
                    {
                        var candidate = inWindow[inWindow.Count - w.Count] + w.Window;
                        if (candidate > at)
                        {
                            at = candidate;
                            moved = true;
                        }
                    }
                }
            }

            times.Add(at);
            if (_sent.Count > 10_000)
            {
                foreach (var key in _sent.Where(kv => kv.Value.TrueForAll(t => t <= now - _longest)).Select(kv => kv.Key).ToList())
                {
                    _sent.Remove(key);
                }
            }

            return at - now;
        }
    }
}

/// <summary>
/// Microsoft Teams per-conversation limits for one bot (protocols B6.2): 7 per second, 8 per 2 seconds, 60 per 30 seconds,
/// 1,800 per hour. Retry-After on 429 is honoured by the sender's outcome (the outbox retries no sooner).
/// </summary>
public sealed class TeamsConversationPacing(TimeProvider clock) : SlidingWindowPacing(
    ["msteams", "emulator"],
    [
        new RateWindow(7, TimeSpan.FromSeconds(1)),
        new RateWindow(8, TimeSpan.FromSeconds(2)),
        new RateWindow(60, TimeSpan.FromSeconds(30)),
        new RateWindow(1800, TimeSpan.FromHours(1)),
    ],
    clock);
