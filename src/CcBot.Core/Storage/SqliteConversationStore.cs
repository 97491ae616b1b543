using System.Globalization;
using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using Microsoft.Data.Sqlite;

namespace CcBot.Core.Storage;

/// <summary>SQLite implementation of <see cref="IConversationStore"/>; every write goes through the group-commit writer.</summary>
public sealed class SqliteConversationStore(SqliteDatabase db) : IConversationStore
{
    private static readonly JsonSerializerOptions Json = PipelineJson.Options;

    public Task<InboundAcceptance> AcceptInboundAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        var payload = PipelineJson.InboundExtras(activity);
        var at = Iso(activity.Timestamp);
        return db.WriteAsync((conn, tx) =>
        {
            // One statement: a redelivered id in the same conversation hits the unique index and inserts nothing.
            var insert = db.Prepared(conn, tx, """
                INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, value, payload, created_at, status)
                VALUES ($key, 1, $id, $channel, $user, $kind, $text, $value, $payload, $at, 'pending')
                ON CONFLICT(conversation_key, activity_id) WHERE inbound = 1 DO NOTHING
                RETURNING seq
                """);
            insert.Parameters.AddWithValue("$key", activity.ConversationKey);
            insert.Parameters.AddWithValue("$id", activity.Id);
            insert.Parameters.AddWithValue("$channel", activity.Channel);
            insert.Parameters.AddWithValue("$user", activity.From.UserId);
            insert.Parameters.AddWithValue("$kind", activity.Kind.ToString());
            insert.Parameters.AddWithValue("$text", (object?)activity.Text ?? DBNull.Value);
            insert.Parameters.AddWithValue("$value", (object?)activity.Value ?? DBNull.Value);
            insert.Parameters.AddWithValue("$payload", payload);
            insert.Parameters.AddWithValue("$at", at);
            if (insert.ExecuteScalar() is long seq)
            {
                return new InboundAcceptance(seq, false);
            }

            var original = db.Prepared(conn, tx, "SELECT seq FROM transcript WHERE conversation_key = $key AND activity_id = $id AND inbound = 1");
            original.Parameters.AddWithValue("$key", activity.ConversationKey);
            original.Parameters.AddWithValue("$id", activity.Id);
            return new InboundAcceptance((long)original.ExecuteScalar()!, true);
        }, cancellationToken);
    }

    public async Task<TurnSnapshot> LoadAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        using var reader = db.RentReader();
        var cmd = reader.Command("""
            SELECT c.state, c.reference, c.unreachable_at, u.id, u.display_name, u.full_name, u.unit, u.consent_at, u.created_at, u.unreachable_at
            FROM (SELECT 1) AS one
            LEFT JOIN conversations c ON c.conversation_key = $key
            LEFT JOIN users u ON u.channel = $channel AND u.channel_user_id = $user
            """);
        cmd.Parameters.AddWithValue("$key", activity.ConversationKey);
        cmd.Parameters.AddWithValue("$channel", activity.Channel);
        cmd.Parameters.AddWithValue("$user", activity.From.UserId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return TurnSnapshots.FromStored(
            activity,
            stateJson: r.IsDBNull(0) ? null : r.GetString(0),
            referenceJson: r.IsDBNull(1) ? null : r.GetString(1),
            unreachable: !r.IsDBNull(2) || !r.IsDBNull(9),
            userId: r.IsDBNull(3) ? null : r.GetInt64(3),
            displayName: r.IsDBNull(4) ? null : r.GetString(4),
            fullName: r.IsDBNull(5) ? null : r.GetString(5),
            unit: r.IsDBNull(6) ? null : r.GetString(6),
            consentAt: ParseTime(r, 7),
            createdAt: ParseTime(r, 8));
    }

    public Task<IReadOnlyList<StoredOutbound>> CommitTurnAsync(TurnCommit commit, CancellationToken cancellationToken)
    {
        var before = commit.Before;
        var state = commit.State.ToJson();
        var reference = JsonSerializer.Serialize(commit.Activity.From, Json);
        var writeConversation = before.Unreachable || state != before.StateJson || reference != before.ReferenceJson;
        var u = commit.User;
        var writeUser = !before.UserStored || before.Unreachable
            || before.UserBefore != (u.DisplayName, u.FullName, u.Unit, u.ConsentAt);
        var at = Iso(commit.At);
        var replies = commit.Replies.Select(r => (r, PipelineJson.OutboundExtras(r))).ToList();
        return db.WriteAsync<IReadOnlyList<StoredOutbound>>((conn, tx) =>
        {
            var done = db.Prepared(conn, tx, "UPDATE transcript SET status = 'handled' WHERE seq = $seq");
            done.Parameters.AddWithValue("$seq", commit.InboundSeq);
            done.ExecuteNonQuery();

            if (writeConversation)
            {
                var conv = db.Prepared(conn, tx, """
                    INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, state, created_at, updated_at)
                    VALUES ($key, $channel, $conv, $user, $ref, $state, $at, $at)
                    ON CONFLICT(conversation_key) DO UPDATE SET reference = excluded.reference, user_id = excluded.user_id,
                        state = excluded.state, updated_at = excluded.updated_at, unreachable_at = NULL
                    """);
                conv.Parameters.AddWithValue("$key", commit.Activity.ConversationKey);
                conv.Parameters.AddWithValue("$channel", commit.Activity.Channel);
                conv.Parameters.AddWithValue("$conv", commit.Activity.From.ConversationId);
                conv.Parameters.AddWithValue("$user", commit.Activity.From.UserId);
                conv.Parameters.AddWithValue("$ref", reference);
                conv.Parameters.AddWithValue("$state", state);
                conv.Parameters.AddWithValue("$at", at);
                conv.ExecuteNonQuery();
            }

            if (writeUser)
            {
                var user = db.Prepared(conn, tx, """
                    INSERT INTO users(channel, channel_user_id, display_name, full_name, unit, consent_at, created_at)
                    VALUES ($channel, $user, $name, $full, $unit, $consent, $at)
                    ON CONFLICT(channel, channel_user_id) DO UPDATE SET display_name = excluded.display_name, full_name = excluded.full_name,
                        unit = excluded.unit, consent_at = excluded.consent_at, unreachable_at = NULL
                    """);
                user.Parameters.AddWithValue("$channel", u.Channel);
                user.Parameters.AddWithValue("$user", u.ChannelUserId);
                user.Parameters.AddWithValue("$name", (object?)u.DisplayName ?? DBNull.Value);
                user.Parameters.AddWithValue("$full", (object?)u.FullName ?? DBNull.Value);
                user.Parameters.AddWithValue("$unit", (object?)u.Unit ?? DBNull.Value);
                user.Parameters.AddWithValue("$consent", u.ConsentAt is { } c ? Iso(c) : DBNull.Value);
                user.Parameters.AddWithValue("$at", at);
                user.ExecuteNonQuery();
            }

            foreach (var e in commit.Escalations)
            {
                var esc = db.Prepared(conn, tx, """
                    INSERT INTO escalations(conversation_key, channel, user_id, inbound_seq, reason, text, intent, confidence, contest_id, created_at)
                    VALUES ($key, $channel, $user, $seq, $reason, $text, $intent, $conf, $contest, $at)
                    """);
                esc.Parameters.AddWithValue("$key", commit.Activity.ConversationKey);
                esc.Parameters.AddWithValue("$channel", commit.Activity.Channel);
                esc.Parameters.AddWithValue("$user", commit.Activity.From.UserId);
                esc.Parameters.AddWithValue("$seq", commit.InboundSeq);
                esc.Parameters.AddWithValue("$reason", e.Reason);
                esc.Parameters.AddWithValue("$text", e.Text);
                esc.Parameters.AddWithValue("$intent", (object?)e.Intent ?? DBNull.Value);
                esc.Parameters.AddWithValue("$conf", (object?)e.Confidence ?? DBNull.Value);
                esc.Parameters.AddWithValue("$contest", (object?)e.ContestId ?? DBNull.Value);
                esc.Parameters.AddWithValue("$at", at);
                esc.ExecuteNonQuery();
            }

            var stored = new List<StoredOutbound>(replies.Count);
            var i = 0;
            foreach (var (message, json) in replies)
            {
                var activityId = $"{commit.Activity.Id}/r{i++}";
                stored.Add(InsertOutbound(db, conn, tx, commit.Activity.From, message, json, activityId, commit.At, commit.RepliesDeliveredOnStore ? "sent" : "pending", commit.ReplyToSeq));
            }

            return stored;
        }, cancellationToken);
    }

    public Task<StoredOutbound> AppendOutboundAsync(ConversationReference to, OutboundMessage message, DateTimeOffset at, CancellationToken cancellationToken, bool delivered = false)
    {
        var json = PipelineJson.OutboundExtras(message);
        var activityId = "p-" + Guid.NewGuid().ToString("N");
        return db.WriteAsync((conn, tx) => InsertOutbound(db, conn, tx, to, message, json, activityId, at, delivered ? "sent" : "pending"), cancellationToken);
    }

    private static StoredOutbound InsertOutbound(SqliteDatabase db, SqliteConnection conn, SqliteTransaction tx, ConversationReference to, OutboundMessage message, string? json, string activityId, DateTimeOffset at, string status, long? replyToSeq = null)
    {
        var cmd = db.Prepared(conn, tx, """
            INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, payload, created_at, status, reply_to_seq)
            VALUES ($key, 0, $id, $channel, $user, 'Message', $text, $payload, $at, $status, $replyTo)
            RETURNING seq
            """);
        cmd.Parameters.AddWithValue("$key", to.ConversationKey);
        cmd.Parameters.AddWithValue("$id", activityId);
        cmd.Parameters.AddWithValue("$channel", to.Channel);
        cmd.Parameters.AddWithValue("$user", to.UserId);
        cmd.Parameters.AddWithValue("$text", message.Text);
        cmd.Parameters.AddWithValue("$payload", (object?)json ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", Iso(at));
        cmd.Parameters.AddWithValue("$status", status);
        cmd.Parameters.AddWithValue("$replyTo", (object?)replyToSeq ?? DBNull.Value);
        var seq = (long)cmd.ExecuteScalar()!;
        return new StoredOutbound(seq, activityId, message, at);
    }

    public Task MarkOutboundAsync(long seq, SendOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var status = outcome.Status switch
        {
            SendStatus.Sent => "sent",
            SendStatus.Retry => "retry",
            SendStatus.Unreachable => "unreachable",
            _ => "failed",
        };
        return db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE transcript SET status = $status, channel_message_id = $mid, error = $err WHERE seq = $seq");
            cmd.Parameters.AddWithValue("$status", status);
            cmd.Parameters.AddWithValue("$mid", (object?)outcome.ChannelMessageId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$err", (object?)outcome.Error ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$seq", seq);
            cmd.ExecuteNonQuery();
            if (outcome.Status == SendStatus.Unreachable)
            {
                var un = db.Prepared(conn, tx, """
                    UPDATE conversations SET unreachable_at = $at WHERE conversation_key = (SELECT conversation_key FROM transcript WHERE seq = $seq);
                    UPDATE users SET unreachable_at = $at WHERE (channel, channel_user_id) IN (SELECT channel, user_id FROM transcript WHERE seq = $seq);
                    """);
                un.Parameters.AddWithValue("$at", Iso(at));
                un.Parameters.AddWithValue("$seq", seq);
                un.ExecuteNonQuery();
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<PendingInbound>> GetUnhandledInboundAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        using var cmd = Cmd(conn, null, "SELECT seq, payload, text FROM transcript WHERE status = 'pending' AND inbound = 1 ORDER BY seq LIMIT $max");
        cmd.Parameters.AddWithValue("$max", max);
        var list = new List<PendingInbound>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var activity = PipelineJson.InboundFrom(r.IsDBNull(2) ? null : r.GetString(2), r.GetString(1));
            list.Add(new PendingInbound(r.GetInt64(0), activity));
        }

        return list;
    }

    public async Task<IReadOnlyList<PendingOutbound>> GetUnsentOutboundAsync(int max, CancellationToken cancellationToken, bool includePending = true)
    {
        await using var conn = db.OpenConnection();
        using var cmd = Cmd(conn, null, """
            SELECT t.seq, t.activity_id, t.payload, t.created_at, c.reference, t.text FROM transcript t
            JOIN conversations c ON c.conversation_key = t.conversation_key
            WHERE (t.status = 'retry' OR (t.status = 'pending' AND $pending = 1)) AND t.inbound = 0 AND c.unreachable_at IS NULL
            ORDER BY t.seq LIMIT $max
            """);
        cmd.Parameters.AddWithValue("$max", max);
        cmd.Parameters.AddWithValue("$pending", includePending ? 1 : 0);
        var list = new List<PendingOutbound>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var message = PipelineJson.OutboundFrom(r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(2) ? null : r.GetString(2));
            var to = JsonSerializer.Deserialize<ConversationReference>(r.GetString(4), Json)!;
            list.Add(new PendingOutbound(to, new StoredOutbound(r.GetInt64(0), r.GetString(1), message, ParseTime(r, 3)!.Value)));
        }

        return list;
    }

    public async Task<ConversationReference?> GetReferenceAsync(string conversationKey, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        using var cmd = Cmd(conn, null, "SELECT reference FROM conversations WHERE conversation_key = $key");
        cmd.Parameters.AddWithValue("$key", conversationKey);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<ConversationReference>(json, Json)
            : null;
    }

    public async Task<IReadOnlyList<TranscriptEntry>> ReadTranscriptAsync(string conversationKey, long afterSeq, int max, CancellationToken cancellationToken)
    {
        // Every stream and poll of web chat reads here after each new row: a pooled connection with the statement prepared.
        using var reader = db.RentReader();
        var cmd = reader.Command("""
            SELECT seq, inbound, activity_id, channel, user_id, kind, text, value, payload, created_at, status, reply_to_seq
            FROM transcript WHERE conversation_key = $key AND seq > $after ORDER BY seq LIMIT $max
            """);
        cmd.Parameters.AddWithValue("$key", conversationKey);
        cmd.Parameters.AddWithValue("$after", afterSeq);
        cmd.Parameters.AddWithValue("$max", max);
        var list = new List<TranscriptEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TranscriptEntry(
                r.GetInt64(0),
                conversationKey,
                r.GetInt64(1) == 1,
                r.GetString(2),
                r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                r.IsDBNull(8) ? null : r.GetString(8),
                ParseTime(r, 9)!.Value,
                r.GetString(10),
                r.IsDBNull(11) ? null : r.GetInt64(11)));
        }

        return list;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        using var cmd = Cmd(conn, null, "SELECT COUNT(*) FROM schema_migrations");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    internal static SqliteCommand Cmd(SqliteConnection conn, SqliteTransaction? tx, string sql)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    internal static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset? ParseTime(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
