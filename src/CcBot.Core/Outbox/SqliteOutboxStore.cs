using System.Globalization;
using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;


namespace CcBot.Core.Outbox;

/// <summary>SQLite outbox. Times are stored as UTC round-trip strings so they compare as text (portable to PostgreSQL timestamptz).</summary>
public sealed class SqliteOutboxStore(SqliteDatabase db) : IOutboxStore
{
    private static readonly JsonSerializerOptions Json = PipelineJson.Options;

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public Task<int> EnqueueAsync(IReadOnlyList<OutboxRequest> requests, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return Task.FromResult(0);
        }

        var created = Time(now);
        return db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, """
                INSERT INTO outbox(dedupe_key, source, source_id, channel, conversation_key, reference, message, status, not_before, expires_at, created_at)
                VALUES ($key, $source, $sid, $channel, $conv, $ref, $msg, 'pending', $nb, $exp, $at)
                ON CONFLICT(dedupe_key) DO NOTHING
                """);
            var added = 0;
            foreach (var r in requests)
            {
                cmd.Parameters.Clear();
                cmd.Parameters.AddWithValue("$key", r.DedupeKey);
                cmd.Parameters.AddWithValue("$source", r.Source);
                cmd.Parameters.AddWithValue("$sid", r.SourceId);
                cmd.Parameters.AddWithValue("$channel", r.Reference.Channel);
                cmd.Parameters.AddWithValue("$conv", r.Reference.ConversationKey);
                cmd.Parameters.AddWithValue("$ref", JsonSerializer.Serialize(r.Reference, Json));
                cmd.Parameters.AddWithValue("$msg", JsonSerializer.Serialize(r.Message, Json));
                cmd.Parameters.AddWithValue("$nb", Time(r.NotBefore));
                cmd.Parameters.AddWithValue("$exp", r.ExpiresAt is { } e ? Time(e) : DBNull.Value);
                cmd.Parameters.AddWithValue("$at", created);
                added += cmd.ExecuteNonQuery();
            }

            return added;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var nowText = Time(now);
        var until = Time(now + lease);
        return db.WriteAsync<IReadOnlyList<OutboxItem>>((conn, tx) =>
        {
            // PostgreSQL: the inner SELECT takes FOR UPDATE SKIP LOCKED so concurrent instances claim disjoint rows.
            // A worker never reclaims its own expired claims: it may still hold them in memory (waiting for its channel's pacing).
            var cmd = db.Prepared(conn, tx, """
                UPDATE outbox SET status = 'sending', claimed_by = $worker, claimed_until = $until, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE (status = 'pending' AND not_before <= $now) OR (status = 'sending' AND claimed_until < $now AND claimed_by <> $worker)
                    ORDER BY not_before, id
                    LIMIT $max)
                RETURNING id, source, source_id, channel, conversation_key, reference, message, attempts, expires_at
                """);
            cmd.Parameters.AddWithValue("$worker", worker);
            cmd.Parameters.AddWithValue("$until", until);
            cmd.Parameters.AddWithValue("$now", nowText);
            cmd.Parameters.AddWithValue("$max", max);
            var items = new List<OutboxItem>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                items.Add(new OutboxItem(
                    r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                    JsonSerializer.Deserialize<ConversationReference>(r.GetString(5), Json)!,
                    JsonSerializer.Deserialize<OutboundMessage>(r.GetString(6), Json)!,
                    r.GetInt32(7),
                    r.IsDBNull(8) ? null : ParseTime(r.GetString(8))));
            }

            items.Sort((a, b) => a.Id.CompareTo(b.Id));
            return items;
        }, cancellationToken);
    }

    public Task<int> ReleaseAllClaimsAsync(CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE outbox SET status = 'pending', claimed_by = NULL, claimed_until = NULL WHERE status = 'sending'";
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task MarkSentAsync(long id, string? channelMessageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE outbox SET status = 'sent', sent_at = $at, channel_message_id = $mid, error = NULL, claimed_until = NULL WHERE id = $id");
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$at", Time(at));
            cmd.Parameters.AddWithValue("$mid", (object?)channelMessageId ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task MarkRetryAsync(long id, string? error, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE outbox SET status = 'pending', not_before = $nb, error = $err, claimed_by = NULL, claimed_until = NULL WHERE id = $id AND status = 'sending'");
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$nb", Time(retryAt));
            cmd.Parameters.AddWithValue("$err", (object?)error ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task MarkFinalAsync(long id, string status, string? error, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE outbox SET status = $status, error = $err, sent_at = NULL, claimed_until = NULL WHERE id = $id");
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$status", status);
            cmd.Parameters.AddWithValue("$err", (object?)error ?? DBNull.Value);
            cmd.ExecuteNonQuery();
            if (status == OutboxStatus.Blocked)
            {
                var conv = db.Prepared(conn, tx, """
                    UPDATE conversations SET unreachable_at = $at WHERE conversation_key = (SELECT conversation_key FROM outbox WHERE id = $id);
                    """);
                conv.Parameters.AddWithValue("$at", Time(at));
                conv.Parameters.AddWithValue("$id", id);
                conv.ExecuteNonQuery();
                var users = db.Prepared(conn, tx, """
                    UPDATE users SET unreachable_at = $at WHERE (channel, channel_user_id) IN
                        (SELECT c.channel, c.user_id FROM outbox o JOIN conversations c ON c.conversation_key = o.conversation_key WHERE o.id = $id);
                    """);
                users.Parameters.AddWithValue("$at", Time(at));
                users.Parameters.AddWithValue("$id", id);
                users.ExecuteNonQuery();
            }
        }, cancellationToken);

    public Task<int> CancelAsync(string source, string sourceId, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE outbox SET status = 'cancelled', claimed_until = NULL WHERE source = $s AND source_id = $sid AND status = 'pending'");
            cmd.Parameters.AddWithValue("$s", source);
            cmd.Parameters.AddWithValue("$sid", sourceId);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<OutboxReport> ReportAsync(string source, string sourceId, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT status, COUNT(*) FROM outbox WHERE source = $s AND source_id = $sid GROUP BY status";
            cmd.Parameters.AddWithValue("$s", source);
            cmd.Parameters.AddWithValue("$sid", sourceId);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[r.GetString(0)] = r.GetInt32(1);
            }
        }

        var reasons = new List<(string, int)>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = """
                SELECT COALESCE(error, ''), COUNT(*) FROM outbox WHERE source = $s AND source_id = $sid AND status IN ('failed', 'blocked', 'expired')
                GROUP BY COALESCE(error, '') ORDER BY COUNT(*) DESC
                """;
            cmd.Parameters.AddWithValue("$s", source);
            cmd.Parameters.AddWithValue("$sid", sourceId);
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
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT id FROM broadcasts WHERE status = 'cancelled'";
        var set = new HashSet<string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            set.Add(r.GetInt64(0).ToString(CultureInfo.InvariantCulture));
        }

        return set;
    }

}
