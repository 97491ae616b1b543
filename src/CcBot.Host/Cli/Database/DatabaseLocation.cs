using Npgsql;

namespace CcBot.Host.Cli.Database;

/// <summary>The <c>--from sqlite:PATH</c> and <c>--to postgres:CONNECTION-STRING</c> arguments of <c>db copy</c>.</summary>
public static class DatabaseLocation
{
    public const string SqlitePrefix = "sqlite:";
    public const string PostgresPrefix = "postgres:";

    /// <summary>The full path of the SQLite file named by <c>sqlite:PATH</c> (relative to the current folder).</summary>
    public static string ParseSqlite(string value)
    {
        if (!value.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) || value.Length == SqlitePrefix.Length)
        {
            throw new DatabaseCommandException($"--from must be sqlite:PATH (e.g. sqlite:App_Data/ccbot.db), got '{value}'.");
        }

        return Path.GetFullPath(value[SqlitePrefix.Length..]);
    }

    /// <summary>The Npgsql connection string of <c>postgres:Host=...;Database=...</c>, checked for syntax and a host.</summary>
    public static string ParsePostgres(string value)
    {
        if (!value.StartsWith(PostgresPrefix, StringComparison.OrdinalIgnoreCase) || value.Length == PostgresPrefix.Length)
        {
            throw new DatabaseCommandException($"--to must be postgres:CONNECTION-STRING (e.g. 'postgres:Host=127.0.0.1;Database=ccbot;Username=ccbot;Password=...'), got '{Redact(value)}'.");
        }

        var connectionString = value[PostgresPrefix.Length..];
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new DatabaseCommandException("--to is not a valid PostgreSQL connection string: " + ex.Message + " Expected e.g. 'postgres:Host=127.0.0.1;Database=ccbot;Username=ccbot;Password=...'.", 2, ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new DatabaseCommandException("--to has no Host: expected e.g. 'postgres:Host=127.0.0.1;Database=ccbot;Username=ccbot;Password=...'.");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new DatabaseCommandException("--to has no Database: name the (empty) database to copy into, e.g. 'postgres:Host=127.0.0.1;Database=ccbot;...'.");
        }

        return connectionString;
    }

    /// <summary>Host, port and database of a connection string, without credentials.</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }

    private static string Redact(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, "(?i)(password|pwd)\\s*=[^;]*", "$1=***");
}
