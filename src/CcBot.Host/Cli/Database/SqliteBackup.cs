using CcBot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CcBot.Host.Cli.Database;

/// <summary>What a backup or restore did.</summary>
public sealed record BackupReport(string Source, string Target, long Bytes, int Migrations, long TranscriptRows);

/// <summary>
/// <c>db backup FILE</c>: a consistent copy of the embedded database while the bot runs (SQLite's online backup API, in
/// one step under a read snapshot, so turns keep being written meanwhile). <c>db restore FILE</c>: puts a copy back with
/// the bot stopped, refusing a file that fails <c>PRAGMA integrity_check</c> or has migrations this build does not know
/// (a newer schema); the database it replaces is kept beside it.
/// </summary>
public sealed class SqliteBackup(string databasePath, IReadOnlyCollection<string> knownMigrations, TimeProvider clock)
{
    public BackupReport Backup(string file)
    {
        var target = Path.GetFullPath(file);
        if (File.Exists(target))
        {
            throw new DatabaseCommandException($"{target} already exists; choose a new file name (a backup never overwrites).");
        }

        if (!File.Exists(databasePath))
        {
            throw new DatabaseCommandException($"There is no database at {databasePath} to back up (Storage:DataFolder, Storage:ConnectionString).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using (var source = Open(databasePath, SqliteOpenMode.ReadOnly))
        using (var copy = Open(target, SqliteOpenMode.ReadWriteCreate))
        {
            source.BackupDatabase(copy);
            // One file: the copy does not need the WAL of the running database.
            Exec(copy, "PRAGMA journal_mode=DELETE");
        }

        return Check(target, requireKnownSchema: false) with { Source = databasePath, Target = target };
    }

    public BackupReport Restore(string file)
    {
        var backup = Path.GetFullPath(file);
        if (!File.Exists(backup))
        {
            throw new DatabaseCommandException($"{backup} does not exist.");
        }

        var report = Check(backup, requireKnownSchema: true);
        using (HostLock.TryAcquire(databasePath) ?? throw new DatabaseCommandException(
            "The bot is running on this database (its lock is held): stop it first, then restore. Nothing was changed."))
        {
            if (File.Exists(databasePath))
            {
                // Kept, not overwritten: the database as it was before the restore.
                var kept = databasePath + ".before-restore-" + clock.GetUtcNow().ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
                using (var current = Open(databasePath, SqliteOpenMode.ReadWrite))
                using (var aside = Open(kept, SqliteOpenMode.ReadWriteCreate))
                {
                    current.BackupDatabase(aside);
                }
            }

            Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
            using var source = Open(backup, SqliteOpenMode.ReadOnly);
            using var target = Open(databasePath, SqliteOpenMode.ReadWriteCreate);
            source.BackupDatabase(target);
        }

        return report with { Source = backup, Target = databasePath };
    }

    /// <summary>Refuses a damaged file, or (for a restore) one whose schema is newer than this build's.</summary>
    private BackupReport Check(string file, bool requireKnownSchema)
    {
        using var db = Open(file, SqliteOpenMode.ReadOnly);
        string integrity;
        try
        {
            integrity = Scalar(db, "PRAGMA integrity_check") as string ?? "";
        }
        catch (SqliteException ex)
        {
            throw new DatabaseCommandException($"{file} is not a readable SQLite database: {ex.Message}. Nothing was changed.");
        }

        if (integrity != "ok")
        {
            throw new DatabaseCommandException($"{file} fails PRAGMA integrity_check ({integrity}). Nothing was changed.");
        }

        if (Scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") is not 1L)
        {
            throw new DatabaseCommandException($"{file} is not a CcBot database (no schema_migrations table). Nothing was changed.");
        }

        var applied = new List<string>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT id FROM schema_migrations";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                applied.Add(r.GetString(0));
            }
        }

        var unknown = applied.Where(id => !knownMigrations.Contains(id)).ToList();
        if (requireKnownSchema && unknown.Count > 0)
        {
            throw new DatabaseCommandException(
                $"{file} has a newer schema than this build (migrations {string.Join(", ", unknown)}): restore it with the version that wrote it. Nothing was changed.");
        }

        var transcript = Scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'transcript'") is 1L ? (long)Scalar(db, "SELECT COUNT(*) FROM transcript")! : 0;
        return new BackupReport(file, file, new FileInfo(file).Length, applied.Count, transcript);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        Exec(connection, "PRAGMA busy_timeout=10000");
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    /// <summary>The migration ids this build knows (every slice's, SQLite).</summary>
    public static IReadOnlyCollection<string> KnownMigrations(IServiceProvider services) =>
        services.GetServices<IMigrationSource>().SelectMany(s => s.Migrations).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
}
