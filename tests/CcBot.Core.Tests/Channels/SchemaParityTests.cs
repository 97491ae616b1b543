using CcBot.Core.Channels.BotFramework;
using CcBot.Core.Channels.DirectLine;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.HelpDesk;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CcBot.Core.Tests.Channels;

/// <summary>
/// The channel and help desk slices declare the same migrations and the same tables and columns on both providers
/// (<c>ccbot db copy</c> moves rows table by table, column by column).
/// </summary>
public sealed class SchemaParityTests : IAsyncLifetime
{
    private static readonly string[] Tables =
    [
        "directline_conversations", "telegram_callbacks", "trusted_service_urls",
        "escalations", "staff_users", "audit_log", "staff_faq", "staff_examples",
    ];

    private StorageBackend _sqlite = null!;
    private StorageBackend _postgres = null!;

    public async Task InitializeAsync()
    {
        _sqlite = await StorageBackend.CreateAsync("sqlite");
        _postgres = await StorageBackend.CreateAsync("postgres");
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    private static ServiceProvider Build(StorageBackend backend)
    {
        var settings = new Dictionary<string, string?>(backend.Configuration) { ["Telegram:BotToken"] = "123456:test-token" };
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
        services.AddCcBotCore(config, AppContext.BaseDirectory);
        services.AddDirectLine(config);
        services.AddTelegramChannel(config);
        services.AddBotFrameworkChannel(config);
        services.AddCcBotHelpDesk();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Both_providers_have_the_same_migrations_tables_and_columns()
    {
        await using var sqlite = Build(_sqlite);
        await using var postgres = Build(_postgres);
        var sqliteIds = sqlite.GetServices<IMigrationSource>().SelectMany(m => m.Migrations).Select(m => m.Id).Order().ToList();
        var postgresIds = postgres.GetServices<IPostgresMigrationSource>().SelectMany(m => m.Migrations).Select(m => m.Id).Order().ToList();
        postgresIds.Should().Equal(sqliteIds);

        var db = sqlite.GetRequiredService<SqliteDatabase>();
        var pg = postgres.GetRequiredService<PostgresDatabase>();
        foreach (var table in Tables)
        {
            var sqliteColumns = new List<string>();
            await using (var conn = db.OpenConnection())
            await using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync())
                {
                    sqliteColumns.Add(r.GetString(0));
                }
            }

            var postgresColumns = new List<string>();
            await using (var conn = await pg.OpenConnectionAsync())
            await using (var cmd = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position", conn))
            {
                cmd.Parameters.AddWithValue("t", table);
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync())
                {
                    postgresColumns.Add(r.GetString(0));
                }
            }

            sqliteColumns.Should().NotBeEmpty(table);
            postgresColumns.Should().Equal(sqliteColumns, "table {0} has the same columns in the same order", table);
        }
    }
}
