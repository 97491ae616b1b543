using System.CommandLine;
using CcBot.Core.Storage.Postgres;

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

        return [new Command("db", "The database: migrations, and moving from SQLite to PostgreSQL.") { migrate, copy }];
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
