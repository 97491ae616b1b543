using CcBot.Core;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CcBot.Core.Tests.Storage;

/// <summary>
/// The store contract: the same tests against SQLite and PostgreSQL. Each concrete class below picks a provider;
/// every test gets an empty database and the services of <see cref="CoreServices"/> bound to it.
/// </summary>
public abstract class StorageContractTests(string provider) : IAsyncLifetime
{
    protected StorageBackend Backend { get; private set; } = null!;

    protected ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backend = await StorageBackend.CreateAsync(provider);
        var config = new ConfigurationBuilder().AddInMemoryCollection(Backend.Configuration).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
        services.AddCcBotCore(config, TestRepo.Root);
        services.AddSingleton<ISettingsStore>(sp => sp.UsesPostgres()
            ? ActivatorUtilities.CreateInstance<PostgresSettingsStore>(sp)
            : ActivatorUtilities.CreateInstance<SqliteSettingsStore>(sp));
        Services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Backend.DisposeAsync();
    }

    [Fact]
    public async Task Settings_first_writer_wins_under_concurrency()
    {
        var store = Services.GetRequiredService<ISettingsStore>();
        var values = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => store.GetOrCreateAsync("signing-key", () => "v" + i, CancellationToken.None))));
        values.Distinct().Should().ContainSingle();
        (await store.GetOrCreateAsync("signing-key", () => "other", CancellationToken.None)).Should().Be(values[0]);
    }

    [Fact]
    public void Both_providers_declare_the_same_migration_ids()
    {
        var sqlite = Services.GetServices<IMigrationSource>().SelectMany(m => m.Migrations).Select(m => m.Id).Order().ToList();
        var postgres = Services.GetServices<IPostgresMigrationSource>().SelectMany(m => m.Migrations).Select(m => m.Id).Order().ToList();
        postgres.Should().Equal(sqlite);
    }
}

public sealed class StorageContractOnSqlite() : StorageContractTests("sqlite");

public sealed class StorageContractOnPostgres() : StorageContractTests("postgres")
{
    [Fact]
    public async Task Instances_starting_together_apply_each_migration_once()
    {
        await using var fresh = await PostgresServer.CreateDatabaseAsync("mig");
        var migrations = new PostgresCoreMigrations().Migrations.ToList();
        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var db = new PostgresDatabase(fresh.ConnectionString, NullLogger<PostgresDatabase>.Instance);
            return await db.MigrateAsync(migrations);
        })));
        runs.SelectMany(r => r).Should().Equal(migrations.Select(m => m.Id), "each migration is applied by exactly one of the six instances");
        await using var check = new PostgresDatabase(fresh.ConnectionString, NullLogger<PostgresDatabase>.Instance);
        (await check.AppliedMigrationsAsync()).Should().Equal(migrations.Select(m => m.Id));
    }

    [Fact]
    public void A_bad_connection_string_is_a_clear_error()
    {
        var act = () => new PostgresDatabase("not a connection string", NullLogger<PostgresDatabase>.Instance);
        act.Should().Throw<InvalidOperationException>().WithMessage("*Storage:ConnectionString*");
        var noHost = () => new PostgresDatabase("Database=x", NullLogger<PostgresDatabase>.Instance);
        noHost.Should().Throw<InvalidOperationException>().WithMessage("*Host*");
    }

    [Fact]
    public async Task The_database_is_reachable_with_the_configured_string()
    {
        var db = Services.GetRequiredService<PostgresDatabase>();
        await using var conn = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", conn);
        ((long)(await cmd.ExecuteScalarAsync())!).Should().BeGreaterThan(0);
    }
}
