using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.Channels.Telegram;

/// <summary>Button payloads in the shared database, so a button sent by one instance can be pressed on another.</summary>
public sealed class PostgresTelegramCallbackStore(PostgresDatabase db) : ITelegramCallbackStore
{
    public async Task<long> IdOfAsync(string payload, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // A payload stored before (or concurrently by another instance: the conflict is reported once that insert
        // commits) is read back by the second statement, which sees every row committed before it started.
        await using (var ins = new NpgsqlCommand("INSERT INTO telegram_callbacks(payload, created_at) VALUES (@p, @at) ON CONFLICT (payload) DO NOTHING RETURNING id", conn))
        {
            ins.Parameters.AddWithValue("p", payload);
            ins.Parameters.AddWithValue("at", at.ToUniversalTime());
            if (await ins.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long inserted)
            {
                return inserted;
            }
        }

        await using var sel = new NpgsqlCommand("SELECT id FROM telegram_callbacks WHERE payload = @p", conn);
        sel.Parameters.AddWithValue("p", payload);
        return (long)(await sel.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<string?> PayloadAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT payload FROM telegram_callbacks WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
