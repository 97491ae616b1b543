using CcBot.Core.Storage;

namespace CcBot.Core.Channels.DirectLine;

/// <summary>A Direct Line conversation: its bound user and the start payload (a preselected contest).</summary>
public sealed record DirectLineConversation(string Id, string UserId, string? StartPayload, DateTimeOffset CreatedAt, bool Started);

public interface IDirectLineConversationStore
{
    Task CreateAsync(DirectLineConversation conversation, CancellationToken cancellationToken);

    Task<DirectLineConversation?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Marks the conversation started; true only for the first caller.</summary>
    Task<bool> MarkStartedAsync(string id, CancellationToken cancellationToken);
}

public sealed class DirectLineMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0010_directline", """
            CREATE TABLE directline_conversations(
                conversation_id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                start_payload TEXT,
                created_at TEXT NOT NULL,
                started INTEGER NOT NULL DEFAULT 0);
            """),
    ];
}

public sealed class SqliteDirectLineConversationStore(SqliteDatabase db) : IDirectLineConversationStore
{
    public Task CreateAsync(DirectLineConversation conversation, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            using var cmd = SqliteConversationStore.Cmd(conn, tx, """
                INSERT INTO directline_conversations(conversation_id, user_id, start_payload, created_at, started)
                VALUES ($id, $user, $start, $at, 0)
                """);
            cmd.Parameters.AddWithValue("$id", conversation.Id);
            cmd.Parameters.AddWithValue("$user", conversation.UserId);
            cmd.Parameters.AddWithValue("$start", (object?)conversation.StartPayload ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$at", SqliteConversationStore.Iso(conversation.CreatedAt));
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<DirectLineConversation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        using var cmd = SqliteConversationStore.Cmd(conn, null, "SELECT user_id, start_payload, created_at, started FROM directline_conversations WHERE conversation_id = $id");
        cmd.Parameters.AddWithValue("$id", id);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new DirectLineConversation(id, r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), SqliteConversationStore.ParseTime(r, 2)!.Value, r.GetInt64(3) == 1)
            : null;
    }

    public Task<bool> MarkStartedAsync(string id, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            using var cmd = SqliteConversationStore.Cmd(conn, tx, "UPDATE directline_conversations SET started = 1 WHERE conversation_id = $id AND started = 0");
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken);
}
