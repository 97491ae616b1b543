using System.Globalization;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;

namespace CcBot.Host.StaffConsole;

/// <summary>Organizer reports and transcript search over SQLite (ISO text times, 0/1 flags).</summary>
public sealed class SqliteConsoleReports(SqliteDatabase db) : IConsoleReports
{
    public async Task<int> CountAudienceAsync(Core.Broadcasts.BroadcastAudience audience, string? value, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        var units = new List<string>();
        if (audience == Core.Broadcasts.BroadcastAudience.Unit)
        {
            await using var read = conn.CreateCommand();
            read.CommandText = "SELECT DISTINCT unit FROM users WHERE unit IS NOT NULL";
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
            Core.Broadcasts.BroadcastAudience.Everyone => "",
            Core.Broadcasts.BroadcastAudience.Contest => "AND c.conversation_key IN (SELECT s.conversation_key FROM reminder_subscriptions s WHERE s.contest_id = $value)",
            Core.Broadcasts.BroadcastAudience.Unit => """
                AND EXISTS (SELECT 1 FROM users u WHERE u.channel = c.channel AND u.channel_user_id = c.user_id
                            AND u.unreachable_at IS NULL AND u.unit IN (SELECT value FROM json_each($units)))
                """,
            Core.Broadcasts.BroadcastAudience.Channel => "AND c.channel = $value",
            _ => throw new ArgumentOutOfRangeException(nameof(audience)),
        };
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM conversations c WHERE c.unreachable_at IS NULL {filter}";
        cmd.Parameters.AddWithValue("$value", (object?)value ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$units", System.Text.Json.JsonSerializer.Serialize(units));
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<DailyVolume>> VolumePerDayAsync(DateTimeOffset now, int days, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT substr(created_at, 1, 10) AS day, SUM(inbound = 1), SUM(inbound = 0), COUNT(DISTINCT conversation_key)
            FROM transcript WHERE created_at >= $from GROUP BY day ORDER BY day DESC
            """;
        cmd.Parameters.AddWithValue("$from", now.UtcDateTime.Date.AddDays(-days + 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var list = new List<DailyVolume>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DailyVolume(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3)));
        }

        return list;
    }

    public async Task<IReadOnlyList<UnansweredQuestion>> TopUnansweredAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT MIN(text), COUNT(*), MAX(created_at) FROM escalations WHERE reason = 'low_confidence'
            GROUP BY lower(trim(text)) ORDER BY COUNT(*) DESC, MAX(created_at) DESC LIMIT $max
            """;
        cmd.Parameters.AddWithValue("$max", max);
        var list = new List<UnansweredQuestion>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new UnansweredQuestion(r.GetString(0), r.GetInt32(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }

        return list;
    }

    public async Task<IReadOnlyList<TranscriptHit>> SearchTranscriptAsync(string? user, string? text, DateOnly? from, DateOnly? to, int max, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        var where = new List<string> { "text IS NOT NULL" };
        if (!string.IsNullOrWhiteSpace(user))
        {
            where.Add("(user_id = $user OR conversation_key = $user OR conversation_key IN (SELECT conversation_key FROM conversations WHERE user_id = $user))");
            cmd.Parameters.AddWithValue("$user", user.Trim());
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            where.Add("instr(lower(text), lower($text)) > 0");
            cmd.Parameters.AddWithValue("$text", text.Trim());
        }

        if (from is { } f)
        {
            where.Add("created_at >= $from");
            cmd.Parameters.AddWithValue("$from", f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (to is { } t)
        {
            where.Add("created_at < $to");
            cmd.Parameters.AddWithValue("$to", t.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        cmd.CommandText = $"SELECT seq, conversation_key, channel, user_id, inbound, text, created_at FROM transcript WHERE {string.Join(" AND ", where)} ORDER BY seq DESC LIMIT $max";
        cmd.Parameters.AddWithValue("$max", max);
        var list = new List<TranscriptHit>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TranscriptHit(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetInt64(4) == 1,
                r.IsDBNull(5) ? null : r.GetString(5), DateTimeOffset.Parse(r.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }

        return list;
    }
}
