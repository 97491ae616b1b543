using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using Npgsql;

namespace CcBot.Core.Storage.Postgres;

/// <summary>
/// PostgreSQL implementation of <see cref="IConversationStore"/> for several instances on one database.
/// Dedupe is the same unique index as on SQLite (a webhook redelivered to another instance conflicts); unsent
/// replies are claimed with <c>FOR UPDATE SKIP LOCKED</c> and a lease so only one instance re-sends each.
/// </summary>
public sealed class PostgresConversationStore(PostgresDatabase db, TimeProvider clock) : IConversationStore
{
    /// <summary>A reply still 'pending' this long after it was stored is taken to be orphaned by a stopped instance.</summary>
    public static readonly TimeSpan OrphanAfter = TimeSpan.FromSeconds(30);

    /// <summary>How long a claim on an unsent reply keeps other instances off it.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    private static readonly JsonSerializerOptions Json = PipelineJson.Options;

    public async Task<InboundAcceptance> AcceptInboundAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, value, payload, created_at, status)
            VALUES (@key, true, @id, @channel, @user, @kind, @text, @value, @payload, @at, 'pending')
            ON CONFLICT (conversation_key, activity_id) WHERE inbound DO NOTHING
            RETURNING seq
            """, conn);
        insert.Parameters.AddWithValue("key", activity.ConversationKey);
        insert.Parameters.AddWithValue("id", activity.Id);
        insert.Parameters.AddWithValue("channel", activity.Channel);
        insert.Parameters.AddWithValue("user", activity.From.UserId);
        insert.Parameters.AddWithValue("kind", activity.Kind.ToString());
        insert.Parameters.AddWithValue("text", (object?)activity.Text ?? DBNull.Value);
        insert.Parameters.AddWithValue("value", (object?)activity.Value ?? DBNull.Value);
        insert.Parameters.AddWithValue("payload", PipelineJson.InboundExtras(activity));
        insert.Parameters.AddWithValue("at", activity.Timestamp.ToUniversalTime());
        if (await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq)
        {
            return new InboundAcceptance(seq, false);
        }

        await using var original = new NpgsqlCommand("SELECT seq FROM transcript WHERE conversation_key = @key AND activity_id = @id AND inbound", conn);
        original.Parameters.AddWithValue("key", activity.ConversationKey);
        original.Parameters.AddWithValue("id", activity.Id);
        return new InboundAcceptance((long)(await original.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!, true);
    }

    public async Task<TurnSnapshot> LoadAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new NpgsqlBatch(conn);
        await using (batch.ConfigureAwait(false))
        {
            AddLoad(batch, activity);
            await using var r = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await ReadSnapshotAsync(r, activity, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds the query of a turn's stored state (conversation and user) to <paramref name="batch"/>.</summary>
    internal static void AddLoad(NpgsqlBatch batch, InboundActivity activity)
    {
        var cmd = new NpgsqlBatchCommand("""
            SELECT c.state, c.reference, c.unreachable_at, u.id, u.display_name, u.full_name, u.unit, u.consent_at, u.created_at, u.unreachable_at
            FROM (SELECT 1) AS one
            LEFT JOIN conversations c ON c.conversation_key = @key
            LEFT JOIN users u ON u.channel = @channel AND u.channel_user_id = @user
            """);
        cmd.Parameters.AddWithValue("key", activity.ConversationKey);
        cmd.Parameters.AddWithValue("channel", activity.Channel);
        cmd.Parameters.AddWithValue("user", activity.From.UserId);
        batch.BatchCommands.Add(cmd);
    }

    /// <summary>Reads the result of <see cref="AddLoad"/> (the reader stands on its result set).</summary>
    internal static async Task<TurnSnapshot> ReadSnapshotAsync(NpgsqlDataReader r, InboundActivity activity, CancellationToken cancellationToken)
    {
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
            consentAt: Time(r, 7),
            createdAt: Time(r, 8));
    }

    public Task<IReadOnlyList<StoredOutbound>> CommitTurnAsync(TurnCommit commit, CancellationToken cancellationToken) =>
        db.InTransactionAsync<IReadOnlyList<StoredOutbound>>(async (conn, tx) =>
        {
            var batch = new NpgsqlBatch(conn, tx);
            await using (batch.ConfigureAwait(false))
            {
                var ids = AddCommit(batch, commit);
                await using var r = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await ReadCommitAsync(r, commit, ids, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>
    /// Adds a turn's writes to <paramref name="batch"/>: inbound marked handled, then the conversation and user rows
    /// when they changed, escalations, and replies (each returning its seq). Returns the replies' activity ids.
    /// </summary>
    internal static List<string> AddCommit(NpgsqlBatch batch, TurnCommit commit)
    {
        var before = commit.Before;
        var state = commit.State.ToJson();
        var reference = JsonSerializer.Serialize(commit.Activity.From, Json);
        var writeConversation = before.Unreachable || state != before.StateJson || reference != before.ReferenceJson;
        var u = commit.User;
        var writeUser = !before.UserStored || before.Unreachable
            || before.UserBefore != (u.DisplayName, u.FullName, u.Unit, u.ConsentAt);
        var at = commit.At.ToUniversalTime();
        var done = new NpgsqlBatchCommand("UPDATE transcript SET status = 'handled' WHERE seq = @seq");
        done.Parameters.AddWithValue("seq", commit.InboundSeq);
        batch.BatchCommands.Add(done);

        if (writeConversation)
        {
            var conv = new NpgsqlBatchCommand("""
                INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, state, created_at, updated_at)
                VALUES (@key, @channel, @conv, @user, @ref, @state, @at, @at)
                ON CONFLICT (conversation_key) DO UPDATE SET reference = excluded.reference, user_id = excluded.user_id,
                    state = excluded.state, updated_at = excluded.updated_at, unreachable_at = NULL
            """);
            conv.Parameters.AddWithValue("key", commit.Activity.ConversationKey);
            conv.Parameters.AddWithValue("channel", commit.Activity.Channel);
            conv.Parameters.AddWithValue("conv", commit.Activity.From.ConversationId);
            conv.Parameters.AddWithValue("user", commit.Activity.From.UserId);
            conv.Parameters.AddWithValue("ref", reference);
            conv.Parameters.AddWithValue("state", state);
            conv.Parameters.AddWithValue("at", at);
            batch.BatchCommands.Add(conv);
        }

        if (writeUser)
        {
            var user = new NpgsqlBatchCommand("""
                INSERT INTO users(channel, channel_user_id, display_name, full_name, unit, consent_at, created_at)
                VALUES (@channel, @user, @name, @full, @unit, @consent, @at)
                ON CONFLICT (channel, channel_user_id) DO UPDATE SET display_name = excluded.display_name, full_name = excluded.full_name,
                    unit = excluded.unit, consent_at = excluded.consent_at, unreachable_at = NULL
            """);
            user.Parameters.AddWithValue("channel", u.Channel);
            user.Parameters.AddWithValue("user", u.ChannelUserId);
            user.Parameters.AddWithValue("name", (object?)u.DisplayName ?? DBNull.Value);
            user.Parameters.AddWithValue("full", (object?)u.FullName ?? DBNull.Value);
            user.Parameters.AddWithValue("unit", (object?)u.Unit ?? DBNull.Value);
            user.Parameters.AddWithValue("consent", u.ConsentAt is { } c ? c.ToUniversalTime() : DBNull.Value);
            user.Parameters.AddWithValue("at", at);
            batch.BatchCommands.Add(user);
        }

        foreach (var e in commit.Escalations)
        {
            var esc = new NpgsqlBatchCommand("""
                INSERT INTO escalations(conversation_key, channel, user_id, inbound_seq, reason, text, intent, confidence, contest_id, created_at)
                VALUES (@key, @channel, @user, @seq, @reason, @text, @intent, @conf, @contest, @at)
            """);
            esc.Parameters.AddWithValue("key", commit.Activity.ConversationKey);
            esc.Parameters.AddWithValue("channel", commit.Activity.Channel);
            esc.Parameters.AddWithValue("user", commit.Activity.From.UserId);
            esc.Parameters.AddWithValue("seq", commit.InboundSeq);
            esc.Parameters.AddWithValue("reason", e.Reason);
            esc.Parameters.AddWithValue("text", e.Text);
            esc.Parameters.AddWithValue("intent", (object?)e.Intent ?? DBNull.Value);
            esc.Parameters.AddWithValue("conf", (object?)e.Confidence ?? DBNull.Value);
            esc.Parameters.AddWithValue("contest", (object?)e.ContestId ?? DBNull.Value);
            esc.Parameters.AddWithValue("at", at);
            batch.BatchCommands.Add(esc);
        }

        var ids = new List<string>(commit.Replies.Count);
        var i = 0;
        foreach (var message in commit.Replies)
        {
            var activityId = $"{commit.Activity.Id}/r{i++}";
            ids.Add(activityId);
            batch.BatchCommands.Add(OutboundCommand(commit.Activity.From, message, PipelineJson.OutboundExtras(message), activityId, at, commit.RepliesDeliveredOnStore ? "sent" : "pending", commit.ReplyToSeq));
        }

        return ids;
    }

    /// <summary>Reads the replies' seqs from the results of <see cref="AddCommit"/> (statements without rows give no result set).</summary>
    internal static async Task<IReadOnlyList<StoredOutbound>> ReadCommitAsync(NpgsqlDataReader r, TurnCommit commit, List<string> ids, CancellationToken cancellationToken)
    {
        var stored = new List<StoredOutbound>(ids.Count);
        for (var k = 0; k < ids.Count; k++)
        {
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            stored.Add(new StoredOutbound(r.GetInt64(0), ids[k], commit.Replies[k], commit.At));
            await r.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        return stored;
    }

    public async Task<StoredOutbound> AppendOutboundAsync(ConversationReference to, OutboundMessage message, DateTimeOffset at, CancellationToken cancellationToken, bool delivered = false)
    {
        var activityId = "p-" + Guid.NewGuid().ToString("N");
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new NpgsqlBatch(conn);
        await using (batch.ConfigureAwait(false))
        {
            batch.BatchCommands.Add(OutboundCommand(to, message, PipelineJson.OutboundExtras(message), activityId, at.ToUniversalTime(), delivered ? "sent" : "pending"));
            var seq = (long)(await batch.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new StoredOutbound(seq, activityId, message, at);
        }
    }

    private static NpgsqlBatchCommand OutboundCommand(ConversationReference to, OutboundMessage message, string? json, string activityId, DateTimeOffset at, string status, long? replyToSeq = null)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, payload, created_at, status, reply_to_seq)
            VALUES (@key, false, @id, @channel, @user, 'Message', @text, @payload, @at, @status, @replyTo)
            RETURNING seq
            """);
        cmd.Parameters.AddWithValue("key", to.ConversationKey);
        cmd.Parameters.AddWithValue("id", activityId);
        cmd.Parameters.AddWithValue("channel", to.Channel);
        cmd.Parameters.AddWithValue("user", to.UserId);
        cmd.Parameters.AddWithValue("text", message.Text);
        cmd.Parameters.AddWithValue("payload", (object?)json ?? DBNull.Value);
        cmd.Parameters.AddWithValue("at", at);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("replyTo", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)replyToSeq ?? DBNull.Value);
        return cmd;
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
        return db.InTransactionAsync(async (conn, tx) =>
        {
            await using var cmd = new NpgsqlCommand(
                "UPDATE transcript SET status = @status, channel_message_id = @mid, error = @err, claimed_until = NULL WHERE seq = @seq", conn, tx);
            cmd.Parameters.AddWithValue("status", status);
            cmd.Parameters.AddWithValue("mid", (object?)outcome.ChannelMessageId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("err", (object?)outcome.Error ?? DBNull.Value);
            cmd.Parameters.AddWithValue("seq", seq);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (outcome.Status == SendStatus.Unreachable)
            {
                await using var un = new NpgsqlCommand("""
                    UPDATE conversations SET unreachable_at = @at WHERE conversation_key = (SELECT conversation_key FROM transcript WHERE seq = @seq);
                    UPDATE users SET unreachable_at = @at WHERE (channel, channel_user_id) IN (SELECT channel, user_id FROM transcript WHERE seq = @seq);
                    """, conn, tx);
                un.Parameters.AddWithValue("at", at.ToUniversalTime());
                un.Parameters.AddWithValue("seq", seq);
                await un.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Inbound activities stored but not handled for <see cref="OrphanAfter"/>: their instance stopped mid-turn.
    /// Newer ones are still being handled somewhere. Re-running one is safe: the conversation lock skips a turn
    /// another instance finished meanwhile.
    /// </summary>
    public async Task<IReadOnlyList<PendingInbound>> GetUnhandledInboundAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            SELECT seq, payload, text FROM transcript WHERE status = 'pending' AND inbound AND created_at < @before ORDER BY seq LIMIT @max
            """, conn);
        cmd.Parameters.AddWithValue("before", (clock.GetUtcNow() - OrphanAfter).ToUniversalTime());
        cmd.Parameters.AddWithValue("max", max);
        return await ReadPendingAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<PendingInbound>> ReadPendingAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<PendingInbound>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var activity = PipelineJson.InboundFrom(r.IsDBNull(2) ? null : r.GetString(2), r.GetString(1));
            list.Add(new PendingInbound(r.GetInt64(0), activity));
        }

        return list;
    }

    /// <summary>
    /// Claims replies to (re-)send: those a sender gave up on for now ('retry') and those left 'pending' for
    /// <see cref="OrphanAfter"/> by a stopped instance (whatever <paramref name="includePending"/> says: with several
    /// instances an orphan can appear at any time). Claimed rows are skipped by other instances for <see cref="ClaimLease"/>.
    /// </summary>
    public Task<IReadOnlyList<PendingOutbound>> GetUnsentOutboundAsync(int max, CancellationToken cancellationToken, bool includePending = true)
    {
        var now = clock.GetUtcNow().ToUniversalTime();
        return db.InTransactionAsync<IReadOnlyList<PendingOutbound>>(async (conn, tx) =>
        {
            await using var cmd = new NpgsqlCommand("""
                WITH due AS (
                    SELECT t.seq FROM transcript t
                    WHERE t.inbound = false AND (t.status = 'retry' OR (t.status = 'pending' AND t.created_at < @orphan))
                      AND (t.claimed_until IS NULL OR t.claimed_until < @now)
                    ORDER BY t.seq LIMIT @max
                    FOR UPDATE SKIP LOCKED)
                UPDATE transcript t SET claimed_until = @lease FROM due WHERE t.seq = due.seq
                RETURNING t.seq, t.activity_id, t.payload, t.created_at, t.text, t.conversation_key
                """, conn, tx);
            cmd.Parameters.AddWithValue("orphan", now - OrphanAfter);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("lease", now + ClaimLease);
            cmd.Parameters.AddWithValue("max", max);
            var rows = new List<(long Seq, string Id, string? Payload, DateTimeOffset At, string? Text, string Key)>();
            await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5)));
                }
            }

            var references = new Dictionary<string, ConversationReference?>(StringComparer.Ordinal);
            await using (var refs = new NpgsqlCommand("SELECT conversation_key, reference, unreachable_at FROM conversations WHERE conversation_key = ANY(@keys)", conn, tx))
            {
                refs.Parameters.AddWithValue("keys", rows.Select(x => x.Key).Distinct().ToArray());
                await using var r = await refs.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    references[r.GetString(0)] = r.IsDBNull(2) ? JsonSerializer.Deserialize<ConversationReference>(r.GetString(1), Json) : null;
                }
            }

            return rows
                .Where(x => references.GetValueOrDefault(x.Key) is not null)
                .Select(x => new PendingOutbound(references[x.Key]!, new StoredOutbound(x.Seq, x.Id, PipelineJson.OutboundFrom(x.Text, x.Payload), x.At)))
                .ToList();
        }, cancellationToken);
    }

    public async Task<ConversationReference?> GetReferenceAsync(string conversationKey, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT reference FROM conversations WHERE conversation_key = @key", conn);
        cmd.Parameters.AddWithValue("key", conversationKey);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<ConversationReference>(json, Json)
            : null;
    }

    public async Task<IReadOnlyList<TranscriptEntry>> ReadTranscriptAsync(string conversationKey, long afterSeq, int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            SELECT seq, inbound, activity_id, channel, user_id, kind, text, value, payload, created_at, status, reply_to_seq
            FROM transcript WHERE conversation_key = @key AND seq > @after ORDER BY seq LIMIT @max
            """, conn);
        cmd.Parameters.AddWithValue("key", conversationKey);
        cmd.Parameters.AddWithValue("after", afterSeq);
        cmd.Parameters.AddWithValue("max", max);
        var list = new List<TranscriptEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TranscriptEntry(
                r.GetInt64(0),
                conversationKey,
                r.GetBoolean(1),
                r.GetString(2),
                r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                r.IsDBNull(8) ? null : r.GetString(8),
                r.GetFieldValue<DateTimeOffset>(9),
                r.GetString(10),
                r.IsDBNull(11) ? null : r.GetInt64(11)));
        }

        return list;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", conn);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    private static DateTimeOffset? Time(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
