using System.CommandLine;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Cli.Database;

/// <summary>
/// <c>db migrate</c> (the configured database) and <c>db copy --from sqlite:PATH --to postgres:CONNECTION-STRING</c>
/// (an embedded installation into an empty PostgreSQL database).
/// </summary>
internal static class DbCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var migrate = new Command("migrate", "Apply the pending migrations of the configured database (Storage:Provider, Storage:ConnectionString) and list them.");
        migrate.SetAction((_, ct) => MigrateAsync(context, ct));

        var from = new Option<string>("--from") { Description = "The SQLite database to move: sqlite:PATH (e.g. sqlite:App_Data/ccbot.db).", Required = true };
        var to = new Option<string>("--to") { Description = "The empty PostgreSQL database: postgres:CONNECTION-STRING (e.g. 'postgres:Host=127.0.0.1;Database=ccbot;Username=ccbot;Password=...').", Required = true };
        var copy = new Command("copy", "Copy every table of a SQLite database into an empty PostgreSQL database, in one transaction (stop the bot first).") { from, to };
        copy.SetAction((parse, ct) => CopyAsync(context, parse.GetValue(from)!, parse.GetValue(to)!, ct));

        var backupFile = new Argument<FileInfo>("FILE") { Description = "Where to write the copy (a new file)." };
        var backup = new Command("backup", "A consistent copy of the embedded SQLite database, taken while the bot runs (PostgreSQL: use pg_dump).") { backupFile };
        backup.SetAction((parse, ct) => BackupAsync(context, parse.GetValue(backupFile)!, restore: false, ct));
        var restoreFile = new Argument<FileInfo>("FILE") { Description = "A copy made by db backup." };
        var restore = new Command("restore", "Put a backup back in place of the embedded database (stop the bot first); the replaced database is kept beside it.") { restoreFile };
        restore.SetAction((parse, ct) => BackupAsync(context, parse.GetValue(restoreFile)!, restore: true, ct));

        return [new Command("db", "The database: migrations, backups, and moving from SQLite to PostgreSQL.") { migrate, copy, backup, restore }];
    }

    private static async Task<int> MigrateAsync(CliContext context, CancellationToken ct)
    {
        using var host = CliRoot.BuildServices(context);
        var output = context.Output;
        try
        {
            var report = await new DatabaseMigrator(host.Services).MigrateAsync(ct);
            await output.WriteLineAsync(report.Database);
            foreach (var id in report.Applied)
            {
                await output.WriteLineAsync("  applied          " + id);
            }

            foreach (var id in report.AlreadyApplied)
            {
                await output.WriteLineAsync("  already applied  " + id);
            }

            await output.WriteLineAsync($"{report.Applied.Count} applied, {report.AlreadyApplied.Count} already applied.");
            return 0;
        }
        catch (DatabaseCommandException ex)
        {
            await Console.Error.WriteLineAsync("db migrate: " + ex.Message);
            return ex.ExitCode;
        }
    }

    private static async Task<int> BackupAsync(CliContext context, FileInfo file, bool restore, CancellationToken ct)
    {
        var verb = restore ? "db restore" : "db backup";
        // Every migration the web host applies is known (the web chat's tables are registered by the web host only).
        using var host = CliRoot.BuildServices(context, s =>
            s.TryAddEnumerable(ServiceDescriptor.Singleton<IMigrationSource, Core.Channels.DirectLine.DirectLineMigrations>()));
        var storage = host.Services.GetRequiredService<IOptions<Core.Storage.StorageOptions>>().Value;
        if (storage.IsPostgres())
        {
            await Console.Error.WriteLineAsync($"{verb}: the database is PostgreSQL: use pg_dump -Fc / pg_restore (see the README).");
            return 2;
        }

        try
        {
            // The database path from the configuration; the database itself is not opened by the services (no migration runs).
            var path = HostLock.DatabasePath(storage, host.Services.GetRequiredService<IHostEnvironment>().ContentRootPath);
            var backup = new SqliteBackup(path, SqliteBackup.KnownMigrations(host.Services), host.Services.GetRequiredService<TimeProvider>());
            var report = await Task.Run(() => restore ? backup.Restore(file.FullName) : backup.Backup(file.FullName), ct);
            await context.Output.WriteLineAsync(restore
                ? $"Restored {report.Source} into {report.Target} ({report.Migrations} migrations, {report.TranscriptRows} transcript rows); the previous database is kept beside it."
                : $"Backed up {report.Source} to {report.Target}: {report.Bytes} bytes, integrity ok, {report.Migrations} migrations, {report.TranscriptRows} transcript rows.");
            return 0;
        }
        catch (DatabaseCommandException ex)
        {
            await Console.Error.WriteLineAsync($"{verb}: " + ex.Message);
            return ex.ExitCode;
        }
    }

    private static async Task<int> CopyAsync(CliContext context, string from, string to, CancellationToken ct)
    {
        var output = context.Output;
        try
        {
            var sqlitePath = DatabaseLocation.ParseSqlite(from);
            var connectionString = DatabaseLocation.ParsePostgres(to);
            using var host = CliRoot.BuildServices(context);
            var migrations = host.Services.GetServices<IPostgresMigrationSource>().SelectMany(s => s.Migrations).ToList();
            var copier = new DatabaseCopier(migrations, host.Services.GetRequiredService<ILogger<PostgresDatabase>>(), output);
            await output.WriteLineAsync($"Copying {sqlitePath} into {DatabaseLocation.Describe(connectionString)}");
            var report = await copier.CopyAsync(sqlitePath, connectionString, ct);
            var width = Math.Max(5, report.Tables.Max(t => (int?)t.Table.Length) ?? 0);
            await output.WriteLineAsync($"{"table".PadRight(width)}  {"sqlite",10}  {"postgres",10}");
            foreach (var t in report.Tables)
            {
                await output.WriteLineAsync($"{t.Table.PadRight(width)}  {t.SourceRows,10}  {t.TargetRows,10}");
            }

            await output.WriteLineAsync($"Copied {report.Tables.Sum(t => t.TargetRows)} rows in {report.Tables.Count} tables; committed.");
            return 0;
        }
        catch (DatabaseCommandException ex)
        {
            await Console.Error.WriteLineAsync("db copy: " + ex.Message);
            return ex.ExitCode;
        }
    }
}
