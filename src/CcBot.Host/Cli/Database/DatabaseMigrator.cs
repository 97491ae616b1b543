using CcBot.Core;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CcBot.Host.Cli.Database;

/// <summary>Which migrations <c>ccbot db migrate</c> applied now and which the database already had.</summary>
public sealed record MigrationReport(string Database, IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied);

/// <summary>
/// <c>ccbot db migrate</c>: applies the pending migrations of the configured provider (<c>Storage:Provider</c>,
/// <c>Storage:ConnectionString</c>), the same ones a starting host applies, and says which.
/// </summary>
public sealed class DatabaseMigrator(IServiceProvider services)
{
    public async Task<MigrationReport> MigrateAsync(CancellationToken ct)
    {
        StorageOptions options;
        try
        {
            options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            throw new DatabaseCommandException(ex.Message);
        }

        return options.IsPostgres() ? await MigratePostgresAsync(options, ct) : MigrateSqlite(options);
    }

    private async Task<MigrationReport> MigratePostgresAsync(StorageOptions options, CancellationToken ct)
    {
        PostgresDatabase db;
        try
        {
            db = new PostgresDatabase(options.ConnectionString ?? "", services.GetRequiredService<ILogger<PostgresDatabase>>());
        }
        catch (InvalidOperationException ex)
        {
            throw new DatabaseCommandException(ex.Message, 2, ex);
        }

        await using (db)
        {
            var all = services.GetServices<IPostgresMigrationSource>().SelectMany(s => s.Migrations).ToList();
            try
            {
                var applied = await db.MigrateAsync(all, ct);
                return Report(db.Describe, all, applied);
            }
            catch (PostgresException ex)
            {
                throw new DatabaseCommandException($"{db.Describe}: {ex.MessageText} ({ex.SqlState}). Check Storage:ConnectionString (user, password, database) and that the user may create tables.", 1, ex);
            }
            catch (NpgsqlException ex)
            {
                throw new DatabaseCommandException($"Cannot reach {db.Describe}: {ex.Message}. Check that PostgreSQL runs and Storage:ConnectionString names the right host and port.", 1, ex);
            }
        }
    }

    private MigrationReport MigrateSqlite(StorageOptions options)
    {
        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var all = services.GetServices<IMigrationSource>().SelectMany(s => s.Migrations).ToList();
        try
        {
            var connectionString = CoreServices.SqliteConnectionString(options, contentRoot);
            var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
            var before = File.Exists(path) ? AppliedSqlite(connectionString) : [];
            var db = new SqliteDatabase(connectionString, services.GetRequiredService<ILogger<SqliteDatabase>>(), options.MaxBatch, options.Synchronous);
            db.Initialize(all);
            var applied = AppliedSqlite(connectionString).Except(before, StringComparer.Ordinal).ToList();
            return Report("SQLite at " + path, all, applied);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new DatabaseCommandException($"Cannot migrate the SQLite database: {ex.Message}", 1, ex);
        }
    }

    private static HashSet<string> AppliedSqlite(string connectionString)
    {
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if ((long)cmd.ExecuteScalar()! == 0)
        {
            return ids;
        }

        cmd.CommandText = "SELECT id FROM schema_migrations";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    private static MigrationReport Report(string database, IEnumerable<Migration> all, IReadOnlyList<string> applied) =>
        new(database, applied, [.. all.Select(m => m.Id).Except(applied, StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
}
