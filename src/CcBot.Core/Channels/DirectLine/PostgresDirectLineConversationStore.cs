using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.Channels.DirectLine;

/// <summary>PostgreSQL twin of <see cref="DirectLineMigrations"/>.</summary>
public sealed class PostgresDirectLineMigrations : IPostgresMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0010_directline", """
            CREATE TABLE directline_conversations(
                conversation_id text PRIMARY KEY,
                user_id text NOT NULL,
                start_payload text,
                created_at timestamptz NOT NULL,
                started boolean NOT NULL DEFAULT false);
            """),
    ];
}

/// <summary>Direct Line conversations in the shared PostgreSQL database: any instance can serve a conversation another created.</summary>
public sealed class PostgresDirectLineConversationStore(PostgresDatabase db) : IDirectLineConversationStore
{
    public async Task CreateAsync(DirectLineConversation conversation, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO directline_conversations(conversation_id, user_id, start_payload, created_at, started)
            VALUES (@id, @user, @start, @at, false)
            """, conn);
        cmd.Parameters.AddWithValue("id", conversation.Id);
        cmd.Parameters.AddWithValue("user", conversation.UserId);
        cmd.Parameters.AddWithValue("start", (object?)conversation.StartPayload ?? DBNull.Value);
        cmd.Parameters.AddWithValue("at", conversation.CreatedAt.ToUniversalTime());
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DirectLineConversation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT user_id, start_payload, created_at, started FROM directline_conversations WHERE conversation_id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new DirectLineConversation(id, r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetBoolean(3))
            : null;
    }

    public async Task<bool> MarkStartedAsync(string id, CancellationToken cancellationToken)
    {
        // One statement: of several instances racing to start the conversation, only one updates the row.
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("UPDATE directline_conversations SET started = true WHERE conversation_id = @id AND NOT started", conn);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
