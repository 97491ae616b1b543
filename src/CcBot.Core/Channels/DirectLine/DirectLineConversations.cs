using System.Globalization;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Dapper;

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

/// <summary>PostgreSQL twin of <see cref="DirectLineMigrations"/> (the column types differ; the store's SQL does not).</summary>
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

/// <summary>
/// Direct Line conversations, one SQL for SQLite and PostgreSQL (Dapper). On PostgreSQL every instance sees the conversations
/// the others created; on SQLite the writes join the group-commit writer.
/// </summary>
public sealed class DirectLineConversationStore(ISqlConnections connections) : IDirectLineConversationStore
{
    public Task CreateAsync(DirectLineConversation conversation, CancellationToken cancellationToken) =>
        connections.ExecuteAsync("""
            INSERT INTO directline_conversations(conversation_id, user_id, start_payload, created_at, started)
            VALUES (@id, @user, @start, @at, @started)
            """,
            new { id = conversation.Id, user = conversation.UserId, start = conversation.StartPayload, at = connections.Time(conversation.CreatedAt), started = false },
            cancellationToken);

    public async Task<DirectLineConversation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT user_id AS UserId, start_payload AS StartPayload, created_at AS CreatedAt, started AS Started FROM directline_conversations WHERE conversation_id = @id",
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null
            ? null
            : new DirectLineConversation(id, row.UserId, row.StartPayload, SqlConnections.ReadTime(row.CreatedAt), Convert.ToBoolean(row.Started, CultureInfo.InvariantCulture));
    }

    /// <summary>One statement: of several instances (or requests) racing to start the conversation, only one updates the row.</summary>
    public async Task<bool> MarkStartedAsync(string id, CancellationToken cancellationToken) =>
        await connections.ExecuteAsync(
            "UPDATE directline_conversations SET started = @started WHERE conversation_id = @id AND started = @notStarted",
            new { id, started = true, notStarted = false }, cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>A row as read: the time is text on SQLite and a timestamp on PostgreSQL, the flag an integer or a boolean.</summary>
    private sealed class Row
    {
        public string UserId { get; set; } = "";

        public string? StartPayload { get; set; }

        public object CreatedAt { get; set; } = "";

        public object Started { get; set; } = false;
    }
}
