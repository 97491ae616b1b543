using CcBot.Core.Storage;
using Dapper;

namespace CcBot.Core.Channels.Telegram;

/// <summary>An update set aside after it failed to be read or stored <see cref="Attempts"/> times; polling went on past it.</summary>
public sealed record TelegramDeadLetter(long Id, long UpdateId, string Raw, string Error, int Attempts, DateTimeOffset At);

/// <summary>
/// Dead letters of the Telegram channel, one store for SQLite and PostgreSQL (shared SQL through Dapper).
/// Adding the same update twice keeps the first.
/// </summary>
public sealed class TelegramDeadLetterStore(ISqlConnections connections)
{
    public async Task AddAsync(long updateId, string raw, string error, int attempts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO telegram_dead_letters(update_id, raw, error, attempts, created_at_ms)
            VALUES (@updateId, @raw, @error, @attempts, @at)
            ON CONFLICT (update_id) DO NOTHING
            """,
            new { updateId, raw, error, attempts, at = at.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The newest <paramref name="max"/> dead letters, newest first.</summary>
    public async Task<IReadOnlyList<TelegramDeadLetter>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id AS Id, update_id AS UpdateId, raw AS Raw, error AS Error, attempts AS Attempts, created_at_ms AS CreatedAtMs
            FROM telegram_dead_letters ORDER BY id DESC LIMIT @max
            """,
            new { max }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new TelegramDeadLetter(r.Id, r.UpdateId, r.Raw, r.Error, (int)r.Attempts, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs)))];
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM telegram_dead_letters", cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public long UpdateId { get; set; }

        public string Raw { get; set; } = "";

        public string Error { get; set; } = "";

        public long Attempts { get; set; }

        public long CreatedAtMs { get; set; }
    }
}
