using Npgsql;

namespace CcBot.Testing;

/// <summary>
/// The throwaway PostgreSQL cluster <c>./test.sh</c> starts on 127.0.0.1 (its admin connection string is in
/// <c>CCBOT_TEST_POSTGRES</c>). Each test gets a database of its own, dropped afterwards. A missing server is a
/// test failure with instructions, never a skip.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "CCBOT_TEST_POSTGRES";

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"PostgreSQL tests need a server. Run ./test.sh (it starts a throwaway cluster on 127.0.0.1), or start one with " +
                $"`eval \"$(tests/postgres.sh start)\"` and run dotnet test in that shell ({EnvironmentVariable} holds the admin connection string).");

    /// <summary>Creates an empty database with a unique name; disposing it drops it (closing any connection left open).</summary>
    public static async Task<TestPostgresDatabase> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        return new TestPostgresDatabase(name, builder.ConnectionString);
    }
}

public sealed class TestPostgresDatabase(string name, string connectionString) : IAsyncDisposable
{
    public string Name => name;

    public string ConnectionString => connectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(PostgresServer.AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
