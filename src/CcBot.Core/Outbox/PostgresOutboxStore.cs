using System.Globalization;
using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.Outbox;

/// <summary>
/// The outbox on a PostgreSQL database shared by several instances. A claim is one statement whose inner SELECT takes
/// <c>FOR UPDATE SKIP LOCKED</c>: concurrent workers claim disjoint rows, and a row another worker claimed meanwhile fails the
/// re-check of the WHERE clause, so no row is claimed twice while its lease holds. A crashed worker's rows are claimable again
/// once their lease (<c>claimed_until</c>) is over.
/// </summary>
public sealed class PostgresOutboxStore(PostgresDatabase db) : IOutboxStore
{
    private const int EnqueueChunk = 500;
    private static readonly JsonSerializerOptions Json = PipelineJson.Options;

    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxRequest> requests, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return 0;
        }

        var created = now.ToUniversalTime();
        return await db.InTransactionAsync(async (conn, tx) =>
        {
            var added = 0;
            foreach (var chunk in requests.Chunk(EnqueueChunk))
            {
                await using var batch = new NpgsqlBatch(conn, tx);
                foreach (var r in chunk)
                {
                    var cmd = new NpgsqlBatchCommand("""
                        INSERT INTO outbox(dedupe_key, source, source_id, channel, conversation_key, reference, message, status, not_before, expires_at, created_at)
                        VALUES (@key, @source, @sid, @channel, @conv, @ref, @msg, 'pending', @nb, @exp, @at)
                        ON CONFLICT (dedupe_key) DO NOTHING
                        """);
                    cmd.Parameters.AddWithValue("key", r.DedupeKey);
                    cmd.Parameters.AddWithValue("source", r.Source);
                    cmd.Parameters.AddWithValue("sid", r.SourceId);
                    cmd.Parameters.AddWithValue("channel", r.Reference.Channel);
                    cmd.Parameters.AddWithValue("conv", r.Reference.ConversationKey);
                    cmd.Parameters.AddWithValue("ref", JsonSerializer.Serialize(r.Reference, Json));
                    cmd.Parameters.AddWithValue("msg", JsonSerializer.Serialize(r.Message, Json));
                    cmd.Parameters.AddWithValue("nb", r.NotBefore.ToUniversalTime());
                    cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("exp", r.ExpiresAt?.ToUniversalTime()) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
                    cmd.Parameters.AddWithValue("at", created);
                    batch.BatchCommands.Add(cmd);
                }

                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                foreach (var c in batch.BatchCommands)
                {
                    added += c.RecordsAffected;
                }
            }

            return added;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // A worker never reclaims its own expired claims: it may still hold them in memory (waiting for its channel's pacing).
        await using var cmd = new NpgsqlCommand("""
            UPDATE outbox o SET status = 'sending', claimed_by = @worker, claimed_until = @until, attempts = o.attempts + 1
            FROM (
                SELECT id FROM outbox
                WHERE (status = 'pending' AND not_before <= @now) OR (status = 'sending' AND claimed_until < @now AND claimed_by <> @worker)
                ORDER BY not_before, id
                LIMIT @max
                FOR UPDATE SKIP LOCKED) due
            WHERE o.id = due.id
            RETURNING o.id, o.source, o.source_id, o.channel, o.conversation_key, o.reference, o.message, o.attempts, o.expires_at
            """, conn);
        cmd.Parameters.AddWithValue("worker", worker);
        cmd.Parameters.AddWithValue("until", (now + lease).ToUniversalTime());
        cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
        cmd.Parameters.AddWithValue("max", max);
        var items = new List<OutboxItem>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(new OutboxItem(
                    r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                    JsonSerializer.Deserialize<ConversationReference>(r.GetString(5), Json)!,
                    JsonSerializer.Deserialize<OutboundMessage>(r.GetString(6), Json)!,
                    r.GetInt32(7),
                    r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8)));
            }
        }

        items.Sort((a, b) => a.Id.CompareTo(b.Id));
        return items;
    }

    public Task<int> ReleaseAllClaimsAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE outbox SET status = 'pending', claimed_by = NULL, claimed_until = NULL WHERE status = 'sending'", _ => { }, cancellationToken);

    public Task MarkSentAsync(long id, string? channelMessageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE outbox SET status = 'sent', sent_at = @at, channel_message_id = @mid, error = NULL, claimed_until = NULL WHERE id = @id", p =>
        {
            p.AddWithValue("id", id);
            p.AddWithValue("at", at.ToUniversalTime());
            p.AddWithValue("mid", (object?)channelMessageId ?? DBNull.Value);
        }, cancellationToken);

    public Task MarkRetryAsync(long id, string? error, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE outbox SET status = 'pending', not_before = @nb, error = @err, claimed_by = NULL, claimed_until = NULL WHERE id = @id AND status = 'sending'", p =>
        {
            p.AddWithValue("id", id);
            p.AddWithValue("nb", retryAt.ToUniversalTime());
            p.AddWithValue("err", (object?)error ?? DBNull.Value);
        }, cancellationToken);

    public Task MarkFinalAsync(long id, string status, string? error, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (conn, tx) =>
        {
            await using (var cmd = new NpgsqlCommand("UPDATE outbox SET status = @status, error = @err, sent_at = NULL, claimed_until = NULL WHERE id = @id", conn, tx))
            {
                cmd.Parameters.AddWithValue("id", id);
                cmd.Parameters.AddWithValue("status", status);
                cmd.Parameters.AddWithValue("err", (object?)error ?? DBNull.Value);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (status != OutboxStatus.Blocked)
            {
                return;
            }

            await using (var conv = new NpgsqlCommand("UPDATE conversations SET unreachable_at = @at WHERE conversation_key = (SELECT conversation_key FROM outbox WHERE id = @id)", conn, tx))
            {
                conv.Parameters.AddWithValue("at", at.ToUniversalTime());
                conv.Parameters.AddWithValue("id", id);
                await conv.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var users = new NpgsqlCommand("""
                UPDATE users SET unreachable_at = @at WHERE (channel, channel_user_id) IN
                    (SELECT c.channel, c.user_id FROM outbox o JOIN conversations c ON c.conversation_key = o.conversation_key WHERE o.id = @id)
                """, conn, tx);
            users.Parameters.AddWithValue("at", at.ToUniversalTime());
            users.Parameters.AddWithValue("id", id);
            await users.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<int> CancelAsync(string source, string sourceId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE outbox SET status = 'cancelled', claimed_until = NULL WHERE source = @s AND source_id = @sid AND status = 'pending'", p =>
        {
            p.AddWithValue("s", source);
            p.AddWithValue("sid", sourceId);
        }, cancellationToken);

    public async Task<OutboxReport> ReportAsync(string source, string sourceId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("SELECT status, COUNT(*)::int FROM outbox WHERE source = @s AND source_id = @sid GROUP BY status", conn))
        {
            cmd.Parameters.AddWithValue("s", source);
            cmd.Parameters.AddWithValue("sid", sourceId);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[r.GetString(0)] = r.GetInt32(1);
            }
        }

        var reasons = new List<(string, int)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT COALESCE(error, ''), COUNT(*)::int FROM outbox WHERE source = @s AND source_id = @sid AND status IN ('failed', 'blocked', 'expired')
            GROUP BY COALESCE(error, '') ORDER BY COUNT(*) DESC
            """, conn))
        {
            cmd.Parameters.AddWithValue("s", source);
            cmd.Parameters.AddWithValue("sid", sourceId);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                reasons.Add((r.GetString(0), r.GetInt32(1)));
            }
        }

        int C(string s) => counts.GetValueOrDefault(s);
        return new OutboxReport(counts.Values.Sum(), C(OutboxStatus.Pending), C(OutboxStatus.Sending), C(OutboxStatus.Sent), C(OutboxStatus.Failed),
            C(OutboxStatus.Blocked), C(OutboxStatus.Cancelled), C(OutboxStatus.Expired), C(OutboxStatus.ChannelOff), reasons);
    }

    public async Task<IReadOnlySet<string>> CancelledSourcesAsync(string source, CancellationToken cancellationToken)
    {
        // Broadcasts are the only cancellable source; their table says which were cancelled.
        _ = source;
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id FROM broadcasts WHERE status = 'cancelled'", conn);
        var set = new HashSet<string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            set.Add(r.GetInt64(0).ToString(CultureInfo.InvariantCulture));
        }

        return set;
    }

    private async Task<int> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(sql, conn);
        bind(cmd.Parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
