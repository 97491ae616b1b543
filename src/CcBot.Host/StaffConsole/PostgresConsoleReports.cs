using CcBot.Core.Broadcasts;
using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Host.StaffConsole;

/// <summary>Organizer reports and transcript search over the shared PostgreSQL database (<c>timestamptz</c> times, boolean flags).</summary>
public sealed class PostgresConsoleReports(PostgresDatabase db) : IConsoleReports
{
    public async Task<int> CountAudienceAsync(BroadcastAudience audience, string? value, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var units = new List<string>();
        if (audience == BroadcastAudience.Unit)
        {
            await using var read = new NpgsqlCommand("SELECT DISTINCT unit FROM users WHERE unit IS NOT NULL", conn);
            await using var r = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var unit = r.GetString(0);
                if (string.Equals(unit.Trim(), value?.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    units.Add(unit);
                }
            }
        }

        var filter = audience switch
        {
            BroadcastAudience.Everyone => "",
            BroadcastAudience.Contest => "AND c.conversation_key IN (SELECT s.conversation_key FROM reminder_subscriptions s WHERE s.contest_id = @value)",
            BroadcastAudience.Unit => """
                AND EXISTS (SELECT 1 FROM users u WHERE u.channel = c.channel AND u.channel_user_id = c.user_id
                            AND u.unreachable_at IS NULL AND u.unit = ANY(@units))
                """,
            BroadcastAudience.Channel => "AND c.channel = @value",
            _ => throw new ArgumentOutOfRangeException(nameof(audience)),
        };
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM conversations c WHERE c.unreachable_at IS NULL {filter}", conn);
        if (audience is BroadcastAudience.Contest or BroadcastAudience.Channel)
        {
            cmd.Parameters.AddWithValue("value", NpgsqlTypes.NpgsqlDbType.Text, (object?)value ?? DBNull.Value);
        }

        if (audience == BroadcastAudience.Unit)
        {
            cmd.Parameters.AddWithValue("units", units.ToArray());
        }

        return (int)(long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<DailyVolume>> VolumePerDayAsync(DateTimeOffset now, int days, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) FILTER (WHERE inbound), count(*) FILTER (WHERE NOT inbound),
                   count(DISTINCT conversation_key)
            FROM transcript WHERE created_at >= @from GROUP BY day ORDER BY day DESC
            """, conn);
        cmd.Parameters.AddWithValue("from", new DateTimeOffset(now.UtcDateTime.Date.AddDays(-days + 1), TimeSpan.Zero));
        var list = new List<DailyVolume>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DailyVolume(r.GetString(0), (int)r.GetInt64(1), (int)r.GetInt64(2), (int)r.GetInt64(3)));
        }

        return list;
    }

    public async Task<IReadOnlyList<UnansweredQuestion>> TopUnansweredAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // MIN in byte order, as SQLite picks the representative text of a group.
        await using var cmd = new NpgsqlCommand("""
            SELECT MIN(text COLLATE "C"), count(*), MAX(created_at) FROM escalations WHERE reason = 'low_confidence'
            GROUP BY lower(trim(text)) ORDER BY count(*) DESC, MAX(created_at) DESC LIMIT @max
            """, conn);
        cmd.Parameters.AddWithValue("max", max);
        var list = new List<UnansweredQuestion>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new UnansweredQuestion(r.GetString(0), (int)r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2)));
        }

        return list;
    }

    public async Task<IReadOnlyList<TranscriptHit>> SearchTranscriptAsync(string? user, string? text, DateOnly? from, DateOnly? to, int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand { Connection = conn };
        var where = new List<string> { "text IS NOT NULL" };
        if (!string.IsNullOrWhiteSpace(user))
        {
            where.Add("(user_id = @user OR conversation_key = @user OR conversation_key IN (SELECT conversation_key FROM conversations WHERE user_id = @user))");
            cmd.Parameters.AddWithValue("user", user.Trim());
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            where.Add("strpos(lower(text), lower(@text)) > 0");
            cmd.Parameters.AddWithValue("text", text.Trim());
        }

        if (from is { } f)
        {
            where.Add("created_at >= @from");
            cmd.Parameters.AddWithValue("from", UtcMidnight(f));
        }

        if (to is { } t)
        {
            where.Add("created_at < @to");
            cmd.Parameters.AddWithValue("to", UtcMidnight(t.AddDays(1)));
        }

        cmd.CommandText = $"SELECT seq, conversation_key, channel, user_id, inbound, text, created_at FROM transcript WHERE {string.Join(" AND ", where)} ORDER BY seq DESC LIMIT @max";
        cmd.Parameters.AddWithValue("max", max);
        var list = new List<TranscriptHit>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TranscriptHit(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetBoolean(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetFieldValue<DateTimeOffset>(6)));
        }

        return list;
    }

    private static DateTimeOffset UtcMidnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
