using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Host.Cli;
using CcBot.Host.Cli.Database;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CcBot.Host.Tests.Database;

/// <summary>Helpers of the <c>db</c> verb tests: a SQLite installation made by the real services, the CLI, and row reads.</summary>
internal static class DbCli
{
    public static Dictionary<string, string?> SqliteOverrides(string folder) => new()
    {
        ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "ccbot.db")}",
        ["Storage:DataFolder"] = folder,
        ["Content:Root"] = RepoPaths.Root,
        ["Nlu:ModelFile"] = TestHost.SharedModelFile,
    };

    public static Dictionary<string, string?> PostgresOverrides(string connectionString) => new()
    {
        ["Storage:Provider"] = "postgres",
        ["Storage:ConnectionString"] = connectionString,
        ["Content:Root"] = RepoPaths.Root,
        ["Nlu:ModelFile"] = TestHost.SharedModelFile,
    };

    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string?> overrides, params string[] args) =>
        await RunAsync(TextReader.Null, overrides, args);

    public static async Task<(int Exit, string Output)> RunAsync(TextReader input, IReadOnlyDictionary<string, string?> overrides, params string[] args)
    {
        var output = new StringWriter();
        var exit = await CliRoot.RunAsync(args, input, output, overrides);
        return (exit, output.ToString());
    }

    /// <summary>The CLI's services plus the settings store the web host registers (with Direct Line).</summary>
    public static IHost BuildServices(IReadOnlyDictionary<string, string?> overrides) =>
        CliRoot.BuildServices(new CliContext(TextReader.Null, TextWriter.Null, overrides), s => s.AddStore<ISettingsStore, SqliteSettingsStore, PostgresSettingsStore>());

    /// <summary>A copier with the host's PostgreSQL migrations (every slice's, as registered).</summary>
    public static DatabaseCopier Copier(TextWriter progress, string folder)
    {
        using var host = CliRoot.BuildServices(new CliContext(TextReader.Null, progress, SqliteOverrides(folder)));
        var migrations = host.Services.GetServices<IPostgresMigrationSource>().SelectMany(s => s.Migrations).ToList();
        return new DatabaseCopier(migrations, NullLogger<PostgresDatabase>.Instance, progress);
    }

    /// <summary>An embedded installation with conversations: two terminal chats (one asks for a human) and a setting.</summary>
    public static async Task<string> MakeSqliteInstallationAsync(string folder)
    {
        var overrides = SqliteOverrides(folder);
        (await RunAsync(new StringReader("2\nso dien thoai ban thu ky khanh hoa\n/quit\n"), overrides, "chat", "--user", "an")).Exit.Should().Be(0);
        (await RunAsync(new StringReader("7\ntoi khong nop duoc bai du thi qua mang\n1\n/quit\n"), overrides, "chat", "--user", "binh")).Exit.Should().Be(0);
        using (var host = BuildServices(overrides))
        {
            await host.Services.GetRequiredService<Core.Storage.ISettingsStore>().GetOrCreateAsync("test.copied", () => "giá trị gốc", default);
        }

        SqliteConnection.ClearAllPools();
        return Path.Combine(folder, "ccbot.db");
    }

    public static async Task<long> PgScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public static long SqliteScalar(string path, string sql)
    {
        using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    public static void SqliteExec(string path, string sql)
    {
        using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>The base tables of the PostgreSQL database (schema_migrations excluded).</summary>
    public static async Task<List<string>> PgTablesAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await r.ReadAsync())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }
}
