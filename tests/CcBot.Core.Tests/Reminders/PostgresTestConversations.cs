using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.Tests.Reminders;

/// <summary>
/// The part of the conversation store the outbox needs, on PostgreSQL, for the reminder and broadcast tests: seeding a
/// conversation with its user (as a first turn would) and the transcript of proactive messages. The PostgreSQL conversation
/// store proper is built separately; once it is in, the harness can use it instead of this.
/// </summary>
internal sealed class PostgresTestConversations(PostgresDatabase db) : IConversationStore
{
    public async Task AddAsync(ConversationReference reference, string? unit, DateTimeOffset at)
    {
        await db.InTransactionAsync(async (conn, tx) =>
        {
            await using (var conv = new NpgsqlCommand("""
                INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, state, created_at, updated_at)
                VALUES (@key, @channel, @cid, @uid, @ref, NULL, @at, @at)
                """, conn, tx))
            {
                conv.Parameters.AddWithValue("key", reference.ConversationKey);
                conv.Parameters.AddWithValue("channel", reference.Channel);
                conv.Parameters.AddWithValue("cid", reference.ConversationId);
                conv.Parameters.AddWithValue("uid", reference.UserId);
                conv.Parameters.AddWithValue("ref", JsonSerializer.Serialize(reference, PipelineJson.Options));
                conv.Parameters.AddWithValue("at", at.ToUniversalTime());
                await conv.ExecuteNonQueryAsync();
            }

            await using var user = new NpgsqlCommand("""
                INSERT INTO users(channel, channel_user_id, display_name, unit, created_at) VALUES (@channel, @uid, @name, @unit, @at)
                """, conn, tx);
            user.Parameters.AddWithValue("channel", reference.Channel);
            user.Parameters.AddWithValue("uid", reference.UserId);
            user.Parameters.AddWithValue("name", (object?)reference.UserName ?? DBNull.Value);
            user.Parameters.AddWithValue("unit", (object?)unit ?? DBNull.Value);
            user.Parameters.AddWithValue("at", at.ToUniversalTime());
            await user.ExecuteNonQueryAsync();
        });
    }

    public async Task<StoredOutbound> AppendOutboundAsync(ConversationReference to, OutboundMessage message, DateTimeOffset at, CancellationToken cancellationToken, bool delivered = false)
    {
        var activityId = "p-" + Guid.NewGuid().ToString("N");
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, created_at, status)
            VALUES (@key, false, @id, @channel, @user, 'Message', @text, @at, @status) RETURNING seq
            """, conn);
        cmd.Parameters.AddWithValue("key", to.ConversationKey);
        cmd.Parameters.AddWithValue("id", activityId);
        cmd.Parameters.AddWithValue("channel", to.Channel);
        cmd.Parameters.AddWithValue("user", to.UserId);
        cmd.Parameters.AddWithValue("text", (object?)message.Text ?? DBNull.Value);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        cmd.Parameters.AddWithValue("status", delivered ? "sent" : "pending");
        var seq = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        return new StoredOutbound(seq, activityId, message, at);
    }

    public async Task<IReadOnlyList<TranscriptEntry>> ReadTranscriptAsync(string conversationKey, long afterSeq, int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand("""
            SELECT seq, inbound, activity_id, channel, user_id, kind, text, value, payload, created_at, status
            FROM transcript WHERE conversation_key = @key AND seq > @after ORDER BY seq LIMIT @max
            """, conn);
        cmd.Parameters.AddWithValue("key", conversationKey);
        cmd.Parameters.AddWithValue("after", afterSeq);
        cmd.Parameters.AddWithValue("max", max);
        var list = new List<TranscriptEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new TranscriptEntry(
                r.GetInt64(0), conversationKey, r.GetBoolean(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
                r.GetFieldValue<DateTimeOffset>(9), r.GetString(10)));
        }

        return list;
    }

    public Task<InboundAcceptance> AcceptInboundAsync(InboundActivity activity, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<TurnSnapshot> LoadAsync(InboundActivity activity, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredOutbound>> CommitTurnAsync(TurnCommit commit, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task MarkOutboundAsync(long seq, SendOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<PendingInbound>> GetUnhandledInboundAsync(int max, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<PendingOutbound>> GetUnsentOutboundAsync(int max, CancellationToken cancellationToken, bool includePending = true) => throw new NotSupportedException();

    public Task<ConversationReference?> GetReferenceAsync(string conversationKey, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
