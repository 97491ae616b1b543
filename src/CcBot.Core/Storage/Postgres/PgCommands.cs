using System.Globalization;
using Npgsql;

namespace CcBot.Core.Storage.Postgres;

/// <summary>Small command helpers shared by the PostgreSQL stores: parameters as (name, value) pairs, null as DBNull.</summary>
internal static class PgCommands
{
    public static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    public static async Task<int> ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(conn, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<long> ScalarAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(conn, tx, sql, args);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Serializes the rest of the transaction with every other transaction taking the same key (released at commit).</summary>
    public static Task<int> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string key, CancellationToken cancellationToken) =>
        ExecAsync(conn, tx, "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", cancellationToken, ("key", key));
}
