using Microsoft.Data.Sqlite;

namespace CcBot.Host.Cli.Database;

/// <summary>
/// The embedded database being moved, opened read-only (the bot should be stopped). Refuses a missing file, a file that
/// is not SQLite, and a SQLite file that is not a CcBot database (no <c>schema_migrations</c> with <c>0001_core</c>).
/// </summary>
public sealed class SqliteSource : IDisposable
{
    private static readonly byte[] Header = "SQLite format 3\0"u8.ToArray();

    private SqliteSource(string path, SqliteConnection connection, IReadOnlyList<string> appliedMigrations)
    {
        Path = path;
        Connection = connection;
        AppliedMigrations = appliedMigrations;
    }

    public string Path { get; }

    public SqliteConnection Connection { get; }

    public IReadOnlyList<string> AppliedMigrations { get; }

    public static SqliteSource Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatabaseCommandException($"{path}: no such file. --from must name the bot's SQLite database (by default src/CcBot.Host/App_Data/ccbot.db).");
        }

        var header = new byte[Header.Length];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read < Header.Length || !header.AsSpan().SequenceEqual(Header))
        {
            throw new DatabaseCommandException($"{path} is not a SQLite database.");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            var applied = new List<string>();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
                if ((long)cmd.ExecuteScalar()! == 0)
                {
                    throw new DatabaseCommandException($"{path} is a SQLite database but not a CcBot database (it has no schema_migrations table).");
                }

                cmd.CommandText = "SELECT id FROM schema_migrations ORDER BY id";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    applied.Add(r.GetString(0));
                }
            }

            if (!applied.Contains("0001_core", StringComparer.Ordinal))
            {
                throw new DatabaseCommandException($"{path} is a SQLite database but not a CcBot database (migration 0001_core was never applied to it).");
            }

            return new SqliteSource(path, connection, applied);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new DatabaseCommandException($"{path} cannot be read as a SQLite database: {ex.Message}", 2, ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The data tables by name (SQLite's own tables, <c>schema_migrations</c> and views excluded) with their columns.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tables()
    {
        var names = new List<string>();
        using (var cmd = Connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations' ORDER BY name";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                names.Add(r.GetString(0));
            }
        }

        var tables = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var columns = new List<string>();
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = $"SELECT name FROM pragma_table_info({Literal(name)})";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                columns.Add(r.GetString(0));
            }

            tables[name] = columns;
        }

        return tables;
    }

    public long Count(string table, string? nonNullColumn = null)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT({(nonNullColumn is null ? "*" : PostgresSchema.Quote(nonNullColumn))}) FROM {PostgresSchema.Quote(table)}";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>The last id SQLite handed out for an AUTOINCREMENT table (<c>sqlite_sequence</c>), which may exceed the largest id left.</summary>
    public long LastAutoincrement(string table)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'";
        if ((long)cmd.ExecuteScalar()! == 0)
        {
            return 0;
        }

        cmd.CommandText = "SELECT seq FROM sqlite_sequence WHERE name = $name COLLATE NOCASE";
        cmd.Parameters.AddWithValue("$name", table);
        return cmd.ExecuteScalar() is long seq ? seq : 0;
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public void Dispose() => Connection.Dispose();
}
