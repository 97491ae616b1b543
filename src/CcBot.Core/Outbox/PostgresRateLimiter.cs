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
