using CcBot.Host.Cli;
using CcBot.Host.Cli.Database;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Testing;

namespace CcBot.Host.Tests.Database;

/// <summary><c>ccbot db migrate</c> on the configured provider.</summary>
public sealed class DbMigrateTests
{
    [Fact]
    public async Task Migrate_applies_the_postgres_migrations_once()
    {
        await using var pg = await StorageBackend.CreateAsync("postgres");
        var overrides = DbCli.PostgresOverrides(pg.ConnectionString);

        var first = await DbCli.RunAsync(overrides, "db", "migrate");

        first.Exit.Should().Be(0, first.Output);
        first.Output.Should().Contain($"PostgreSQL 127.0.0.1:").And.Contain("applied          0001_core").And.Contain(", 0 already applied.");
        (await DbCli.PgScalarAsync(pg.ConnectionString, "SELECT COUNT(*) FROM schema_migrations WHERE id = '0001_core'")).Should().Be(1);
        (await DbCli.PgTablesAsync(pg.ConnectionString)).Should().Contain(["transcript", "settings"]);

        var second = await DbCli.RunAsync(overrides, "db", "migrate");

        second.Exit.Should().Be(0, second.Output);
        second.Output.Should().Contain("already applied  0001_core").And.Contain("0 applied, ").And.NotContain("  applied          ");
    }

    [Fact]
    public async Task Migrate_applies_the_sqlite_migrations_once()
    {
        var folder = TestHost.NewDataFolder();
        var first = await DbCli.RunAsync(DbCli.SqliteOverrides(folder), "db", "migrate");
        first.Exit.Should().Be(0, first.Output);
        first.Output.Should().Contain("SQLite at " + Path.Combine(folder, "ccbot.db")).And.Contain("applied          0001_core").And.Contain(", 0 already applied.");

        var second = await DbCli.RunAsync(DbCli.SqliteOverrides(folder), "db", "migrate");
        second.Output.Should().Contain("already applied  0001_core").And.StartWith("SQLite at").And.Contain("\n0 applied, ");
    }

    [Fact]
    public async Task Migrate_reports_an_unreachable_server_and_a_bad_connection_string()
    {
        var unreachable = DbCli.PostgresOverrides("Host=127.0.0.1;Port=1;Database=ccbot;Timeout=3");
        (await DbCli.RunAsync(unreachable, "db", "migrate")).Exit.Should().Be(1);
        using (var host = CliRoot.BuildServices(new CliContext(TextReader.Null, TextWriter.Null, unreachable)))
        {
            var act = () => new DatabaseMigrator(host.Services).MigrateAsync(default);
            (await act.Should().ThrowAsync<DatabaseCommandException>()).Which.Message.Should().StartWith("Cannot reach PostgreSQL 127.0.0.1:1/ccbot").And.Contain("Storage:ConnectionString");
        }

        var bad = DbCli.PostgresOverrides("Hots=127.0.0.1");
        (await DbCli.RunAsync(bad, "db", "migrate")).Exit.Should().Be(2);
        using (var host = CliRoot.BuildServices(new CliContext(TextReader.Null, TextWriter.Null, bad)))
        {
            var act = () => new DatabaseMigrator(host.Services).MigrateAsync(default);
            (await act.Should().ThrowAsync<DatabaseCommandException>()).Which.Message.Should().Contain("not a valid PostgreSQL connection string");
        }

        var missing = DbCli.PostgresOverrides("");
        (await DbCli.RunAsync(missing, "db", "migrate")).Exit.Should().Be(2);
    }
}
