using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.Telegram;

/// <summary>
/// Sending discipline for the Bot API: a global token bucket (<see cref="TelegramOptions.GlobalRatePerSecond"/>,
/// burst of one second's worth) and at least <see cref="TelegramOptions.PerChatInterval"/> between two sends to the same chat.
/// Implemented as slot reservation (GCRA): each caller reserves the earliest slot allowed by both limits, then waits for it.
/// </summary>
public sealed class TelegramRateLimiter
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _emission;
    private readonly TimeSpan _burstTolerance;
    private readonly TimeSpan _perChat;
    private readonly Dictionary<long, DateTimeOffset> _chatNext = [];
    private readonly object _lock = new();
    private DateTimeOffset _theoreticalArrival = DateTimeOffset.MinValue;

    public TelegramRateLimiter(IOptions<TelegramOptions> options, TimeProvider clock)
        : this(options.Value.GlobalRatePerSecond, options.Value.PerChatInterval, clock)
    {
    }

    public TelegramRateLimiter(double globalRatePerSecond, TimeSpan perChatInterval, TimeProvider clock, int? burst = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(globalRatePerSecond);
        _clock = clock;
        _emission = TimeSpan.FromSeconds(1 / globalRatePerSecond);
        var b = burst ?? Math.Max(1, (int)Math.Floor(globalRatePerSecond));
        _burstTolerance = _emission * (b - 1);
        _perChat = perChatInterval;
    }

    /// <summary>Reserves the next allowed slot for <paramref name="chatId"/> and returns when it is reached.</summary>
    public async ValueTask WaitAsync(long chatId, CancellationToken cancellationToken)
    {
        var delay = Reserve(chatId);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
            if (_perChat > TimeSpan.Zero)
            {
                // A timer that fired late must not shorten the spacing to this chat's next send.
                lock (_lock)
                {
                    var next = _clock.GetUtcNow() + _perChat;
                    if (!_chatNext.TryGetValue(chatId, out var reserved) || reserved < next)
                    {
                        _chatNext[chatId] = next;
                    }
                }
            }
        }
    }

    /// <summary>Reserves a slot and returns how long the caller must wait for it.</summary>
    internal TimeSpan Reserve(long chatId)
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            var earliest = now;
            if (_chatNext.TryGetValue(chatId, out var chatNext) && chatNext > earliest)
            {
                earliest = chatNext;
            }

            if (_theoreticalArrival == DateTimeOffset.MinValue)
            {
                _theoreticalArrival = now;
            }

            var globalEarliest = _theoreticalArrival - _burstTolerance;
            var at = globalEarliest > earliest ? globalEarliest : earliest;
            _theoreticalArrival = (_theoreticalArrival > at ? _theoreticalArrival : at) + _emission;
            if (_perChat > TimeSpan.Zero)
            {
                _chatNext[chatId] = at + _perChat;
                if (_chatNext.Count > 50_000)
                {
                    Prune(now);
                }
            }

            return at - now;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _chatNext.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList())
        {
            _chatNext.Remove(key);
        }
    }
}
