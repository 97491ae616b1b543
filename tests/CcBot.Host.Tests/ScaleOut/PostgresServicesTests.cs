using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.ScaleOut;

/// <summary>The whole host configured for PostgreSQL: every slice has a PostgreSQL store and migrations.</summary>
public sealed class PostgresServicesTests
{
    [Fact]
    public async Task Every_service_of_the_host_resolves_on_postgres_without_the_sqlite_database()
    {
        await using var db = await PostgresServer.CreateDatabaseAsync("svc");
        IServiceCollection? registered = null;
        var app = BotHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--Storage:Provider=postgres",
            $"--Storage:ConnectionString={db.ConnectionString}",
            $"--Content:Root={RepoPaths.Root}",
            $"--Nlu:ModelFile={TestHost.SharedModelFile}",
            "--Logging:LogLevel:Default=Warning",
        ], b => registered = b.Services);
        await using var disposeApp = app;

        var failures = new List<string>();
        foreach (var d in registered!.Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.ServiceType.IsGenericTypeDefinition && d.ServiceType != typeof(SqliteDatabase)).Select(d => d.ServiceType).Distinct())
        {
            try
            {
                _ = app.Services.GetServices(d).ToList();
            }
            catch (Exception ex) when (ex.ToString().Contains("asked for the SQLite database", StringComparison.Ordinal))
            {
                failures.Add(d.FullName!);
            }
        }

        failures.Should().BeEmpty("every store has a PostgreSQL implementation");
        await app.StartAsync();
        (await new HttpClient().GetAsync(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/healthz")).IsSuccessStatusCode.Should().BeTrue();
        await app.StopAsync();
    }

    [Fact]
    public void Both_providers_declare_the_same_migrations()
    {
        IServiceCollection? registered = null;
        var app = BotHost.Build(["--urls=http://127.0.0.1:0", $"--Content:Root={RepoPaths.Root}", $"--Nlu:ModelFile={TestHost.SharedModelFile}"], b => registered = b.Services);
        var sqlite = app.Services.GetServices<IMigrationSource>().SelectMany(m => m.Migrations).Select(m => m.Id).Order().ToList();
        var postgres = app.Services.GetServices<IPostgresMigrationSource>().SelectMany(m => m.Migrations).Select(m => m.Id).Order().ToList();
        sqlite.Should().HaveCountGreaterThan(10).And.Contain("0020_telegram", "every slice's schema is declared, even for a channel that is off");
        postgres.Should().Equal(sqlite, "every SQLite migration has its PostgreSQL twin with the same id");
        registered.Should().NotBeNull();
    }
}

/// <summary>Bad storage settings stop start-up with a message naming the setting.</summary>
public sealed class StorageSettingsTests
{
    [Theory]
    [InlineData("mysql", "", "Storage:Provider")]
    [InlineData("postgres", "", "Storage:ConnectionString")]
    [InlineData("postgres", "Database=ccbot", "Host")]
    [InlineData("postgres", "Host=127.0.0.1;Port=1;Database=ccbot;Username=x;Timeout=2", "Cannot reach or migrate PostgreSQL 127.0.0.1:1/ccbot (Storage:ConnectionString)")]
    public async Task A_bad_storage_setting_stops_start_up_with_a_clear_message(string provider, string connectionString, string named)
    {
        var act = async () =>
        {
            await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = provider,
                ["Storage:ConnectionString"] = connectionString,
            });
        };
        var error = await act.Should().ThrowAsync<Exception>();
        error.Which.ToString().Should().Contain(named);
    }
}
