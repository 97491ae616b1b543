using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.Outbox;

/// <summary>One reserved send slot: when it is (database time) and how long the caller waits for it.</summary>
public readonly record struct RateSlot(DateTimeOffset At, TimeSpan Delay);

/// <summary>
/// A send rate shared by every instance on one PostgreSQL database: one <c>outbox_rate</c> row per channel holds the earliest
/// instant the next message may go (GCRA without burst). A single upsert reserves the next slot and moves the row on by one
/// interval, so slots handed to all instances together are at least 1/rate apart and no window of one second holds more
/// than the rate. Times are the database's clock, so instances with skewed clocks still share one timeline.
/// </summary>
public sealed class PostgresRateLimiter(PostgresDatabase db)
{
    private const string ReserveSql = """
        INSERT INTO outbox_rate(channel, next_at) VALUES (@c, (extract(epoch FROM now()) * 1000000)::bigint + @i)
        ON CONFLICT (channel) DO UPDATE SET next_at = GREATEST(outbox_rate.next_at + @i, EXCLUDED.next_at)
        RETURNING next_at - @i, next_at - @i - (extract(epoch FROM now()) * 1000000)::bigint
        """;

    /// <summary>Reserves the next slot of <paramref name="channel"/> at <paramref name="perSecond"/> messages per second.</summary>
    public async Task<RateSlot> ReserveAsync(string channel, double perSecond, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        var intervalMicros = (long)Math.Ceiling(1_000_000 / perSecond);
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(ReserveSql, conn);
        cmd.Parameters.AddWithValue("c", channel);
        cmd.Parameters.AddWithValue("i", intervalMicros);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        var at = DateTimeOffset.UnixEpoch.AddTicks(r.GetInt64(0) * 10);
        var delay = TimeSpan.FromTicks(Math.Max(0, r.GetInt64(1)) * 10);
        return new RateSlot(at, delay);
    }
}

/// <summary>
/// Outbox pacing on PostgreSQL: a channel's global rate (Telegram's 30 messages per second) held by all instances together
/// through <see cref="PostgresRateLimiter"/>. On SQLite (one instance) it paces nothing and the channel's own in-process limiter
/// (<c>TelegramRateLimiter</c>) is the only one.
/// </summary>
public sealed class SharedRatePacing : IOutboxPacing
{
    private readonly IReadOnlyDictionary<string, double> _rates;
    private readonly PostgresRateLimiter? _limiter;
    private readonly TimeProvider _clock;

    public SharedRatePacing(IReadOnlyDictionary<string, double> ratesPerSecond, PostgresRateLimiter? limiter, TimeProvider clock)
    {
        _rates = limiter is null ? new Dictionary<string, double>() : ratesPerSecond;
        _limiter = limiter;
        _clock = clock;
    }

    public IReadOnlyCollection<string> Channels => [.. _rates.Keys];

    public async ValueTask WaitAsync(string conversationKey, CancellationToken cancellationToken)
    {
        var channel = conversationKey.Split(':', 2)[0];
        if (_limiter is null || !_rates.TryGetValue(channel, out var rate))
        {
            return;
        }

        var slot = await _limiter.ReserveAsync(channel, rate, cancellationToken).ConfigureAwait(false);
        if (slot.Delay > TimeSpan.Zero)
        {
            await Task.Delay(slot.Delay, _clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
