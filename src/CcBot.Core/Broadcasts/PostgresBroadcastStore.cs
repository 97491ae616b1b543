using System.Globalization;
using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.Broadcasts;

/// <summary>
/// Broadcasts on PostgreSQL: the broadcast row and one outbox row per recipient in one transaction, with the same audience
/// filters as <see cref="SqliteBroadcastStore"/> (units matched against a <c>text[]</c> parameter).
/// </summary>
public sealed class PostgresBroadcastStore(PostgresDatabase db) : IBroadcastStore
{
    private const string Select = "SELECT id, text, audience, audience_value, send_at, status, created_by, created_at, cancelled_at FROM broadcasts";
    private static readonly JsonSerializerOptions Json = PipelineJson.Options;

    public Task<(long Id, int Recipients)> CreateAsync(BroadcastDraft draft, OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messageJson = JsonSerializer.Serialize(message, Json);
        var filter = draft.Audience switch
        {
            BroadcastAudience.Everyone => "",
            BroadcastAudience.Contest => "AND c.conversation_key IN (SELECT s.conversation_key FROM reminder_subscriptions s WHERE s.contest_id = @value)",
            BroadcastAudience.Unit => """
                AND EXISTS (SELECT 1 FROM users u WHERE u.channel = c.channel AND u.channel_user_id = c.user_id
                            AND u.unreachable_at IS NULL AND u.unit = ANY(@units))
                """,
            BroadcastAudience.Channel => "AND c.channel = @value",
            _ => throw new ArgumentOutOfRangeException(nameof(draft)),
        };
        return db.InTransactionAsync(async (conn, tx) =>
        {
            long id;
            await using (var ins = new NpgsqlCommand("""
                INSERT INTO broadcasts(text, message, audience, audience_value, send_at, status, created_by, created_at)
                VALUES (@text, @msg, @aud, @value, @sendAt, 'scheduled', @by, @at) RETURNING id
                """, conn, tx))
            {
                ins.Parameters.AddWithValue("text", draft.Text);
                ins.Parameters.AddWithValue("msg", messageJson);
                ins.Parameters.AddWithValue("aud", draft.Audience.ToString().ToLowerInvariant());
                ins.Parameters.AddWithValue("value", (object?)draft.AudienceValue ?? DBNull.Value);
                ins.Parameters.AddWithValue("sendAt", draft.SendAt.ToUniversalTime());
                ins.Parameters.AddWithValue("by", (object?)draft.CreatedBy ?? DBNull.Value);
                ins.Parameters.AddWithValue("at", now.ToUniversalTime());
                id = (long)(await ins.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            var units = draft.Audience == BroadcastAudience.Unit
                ? await MatchingUnitsAsync(conn, tx, draft.AudienceValue, cancellationToken).ConfigureAwait(false)
                : [];
            await using var rows = new NpgsqlCommand($"""
                INSERT INTO outbox(dedupe_key, source, source_id, channel, conversation_key, reference, message, status, not_before, created_at)
                SELECT 'broadcast:' || @sid || ':' || c.conversation_key, 'broadcast', @sid, c.channel, c.conversation_key, c.reference,
                       @msg, 'pending', @nb, @at
                FROM conversations c
                WHERE c.unreachable_at IS NULL {filter}
                ORDER BY c.conversation_key
                ON CONFLICT (dedupe_key) DO NOTHING
                """, conn, tx);
            rows.Parameters.AddWithValue("sid", id.ToString(CultureInfo.InvariantCulture));
            rows.Parameters.AddWithValue("msg", messageJson);
            rows.Parameters.AddWithValue("nb", draft.SendAt.ToUniversalTime());
            rows.Parameters.AddWithValue("at", now.ToUniversalTime());
            rows.Parameters.AddWithValue("value", NpgsqlTypes.NpgsqlDbType.Text, (object?)draft.AudienceValue ?? DBNull.Value);
            rows.Parameters.AddWithValue("units", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, units);
            var count = await rows.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return (id, count);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Broadcast>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"{Select} ORDER BY id DESC LIMIT @max", conn);
        cmd.Parameters.AddWithValue("max", max);
        return await ReadAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Broadcast?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"{Select} WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        return (await ReadAsync(cmd, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public Task<int?> CancelAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync<int?>(async (conn, tx) =>
        {
            await using (var b = new NpgsqlCommand("UPDATE broadcasts SET status = 'cancelled', cancelled_at = COALESCE(cancelled_at, @at) WHERE id = @id", conn, tx))
            {
                b.Parameters.AddWithValue("id", id);
                b.Parameters.AddWithValue("at", now.ToUniversalTime());
                if (await b.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return null;
                }
            }

            await using var o = new NpgsqlCommand(
                "UPDATE outbox SET status = 'cancelled', claimed_until = NULL WHERE source = 'broadcast' AND source_id = @sid AND status = 'pending'", conn, tx);
            o.Parameters.AddWithValue("sid", id.ToString(CultureInfo.InvariantCulture));
            return await o.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Units as users typed them that match the audience value ignoring case with .NET's folding (Vietnamese letters included).</summary>
    private static async Task<string[]> MatchingUnitsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string? value, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand("SELECT DISTINCT unit FROM users WHERE unit IS NOT NULL", conn, tx);
        var matching = new List<string>();
        await using var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var unit = r.GetString(0);
            if (string.Equals(unit.Trim(), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                matching.Add(unit);
            }
        }

        return [.. matching];
    }

    private static async Task<IReadOnlyList<Broadcast>> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<Broadcast>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new Broadcast(
                r.GetInt64(0), r.GetString(1), Enum.Parse<BroadcastAudience>(r.GetString(2), ignoreCase: true),
                r.IsDBNull(3) ? null : r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7),
                r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8)));
        }

        return list;
    }
}
