using Npgsql;

namespace CcBot.Core.Storage.Postgres;

public sealed class PostgresSettingsStore(PostgresDatabase db) : ISettingsStore
{
    public async Task<string> GetOrCreateAsync(string key, Func<string> create, CancellationToken cancellationToken)
    {
        var candidate = create();
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The first writer wins: a concurrent insert from another instance conflicts (after it commits) and its
        // value is read back by the second statement, which sees everything committed before it started.
        await using (var ins = new NpgsqlCommand("INSERT INTO settings(key, value) VALUES (@k, @v) ON CONFLICT (key) DO NOTHING", conn))
        {
            ins.Parameters.AddWithValue("k", key);
            ins.Parameters.AddWithValue("v", candidate);
            await ins.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var sel = new NpgsqlCommand("SELECT value FROM settings WHERE key = @k", conn);
        sel.Parameters.AddWithValue("k", key);
        return (string)(await sel.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
