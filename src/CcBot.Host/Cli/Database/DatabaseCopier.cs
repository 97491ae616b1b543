using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CcBot.Host.Cli.Database;

/// <summary>Rows of one table: counted in SQLite, copied, counted again in PostgreSQL before the commit.</summary>
public sealed record TableCopy(string Table, long SourceRows, long TargetRows);

public sealed record CopyReport(IReadOnlyList<TableCopy> Tables, IReadOnlyList<string> Warnings);

/// <summary>
/// <c>ccbot db copy</c>: moves an embedded SQLite installation into an empty PostgreSQL database. Applies the
/// PostgreSQL migrations, then in ONE transaction copies every table generically (the PostgreSQL twins have the same
/// table and column names; values are converted by the target column's type), resets the identity sequences and checks
/// that every table holds as many rows as its source. Nothing is committed unless everything matched.
/// </summary>
public sealed class DatabaseCopier(IEnumerable<Migration> postgresMigrations, ILogger<PostgresDatabase> logger, TextWriter progress)
{
    /// <summary>A progress line every this many rows of a large table.</summary>
    private const int ProgressEvery = 100_000;

    public async Task<CopyReport> CopyAsync(string sqlitePath, string postgresConnectionString, CancellationToken ct)
    {
        using var source = SqliteSource.Open(sqlitePath);
        var where = DatabaseLocation.Describe(postgresConnectionString);
        var warnings = new List<string>();
        await using var target = new PostgresDatabase(postgresConnectionString, logger);
        try
        {
            await using (var conn = await target.OpenConnectionAsync(ct))
            {
                // Refuse before creating anything: a database holding rows is not a copy target.
                await RefuseNonEmptyAsync(conn, null, where, ct);
            }

            var applied = await target.MigrateAsync(postgresMigrations, ct);
            await progress.WriteLineAsync($"{where}: {applied.Count} migration(s) applied{(applied.Count > 0 ? " (" + string.Join(", ", applied) + ")" : "")}.");

            await using var connection = await target.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await RefuseNonEmptyAsync(connection, tx, where, ct);
            var tables = await PostgresSchema.ReadTablesAsync(connection, tx, ct);
            var plan = Plan(source, tables, warnings);
            foreach (var warning in warnings)
            {
                await progress.WriteLineAsync("warning: " + warning);
            }

            var results = new List<TableCopy>();
            foreach (var (table, sourceName, sourceColumns) in plan)
            {
                var sourceRows = sourceName is null ? 0 : source.Count(sourceName);
                if (sourceName is not null && sourceRows > 0)
                {
                    var written = await CopyTableAsync(source, sourceName, sourceColumns, table, connection, progress, ct);
                    if (written != sourceRows)
                    {
                        throw new DatabaseCommandException($"{table.Name}: read {written} rows from SQLite but it counts {sourceRows}; is the bot still running on {source.Path}? Nothing was copied.", 1);
                    }
                }

                await ResetSequencesAsync(connection, tx, table, sourceName is null ? 0 : source.LastAutoincrement(sourceName), ct);
                var targetRows = await CountAsync(connection, tx, table.Name, ct);
                await progress.WriteLineAsync($"  {table.Name}: {sourceRows} → {targetRows}");
                results.Add(new TableCopy(table.Name, sourceRows, targetRows));
            }

            var mismatched = results.Where(r => r.SourceRows != r.TargetRows).ToList();
            if (mismatched.Count > 0)
            {
                throw new DatabaseCommandException("Row counts differ, nothing was copied: " + string.Join(", ", mismatched.Select(m => $"{m.Table} {m.SourceRows} → {m.TargetRows}")), 1);
            }

            await tx.CommitAsync(ct);
            return new CopyReport(results, warnings);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            throw new DatabaseCommandException($"Cannot reach {where}: {ex.Message}", 1, ex);
        }
        catch (PostgresException ex)
        {
            throw new DatabaseCommandException($"{where}: {ex.MessageText} ({ex.SqlState}{(ex.TableName is { } t ? ", table " + t : "")}{(ex.ColumnName is { } c ? ", column " + c : "")}). Nothing was copied.", 1, ex);
        }
        catch (SqliteException ex)
        {
            throw new DatabaseCommandException($"{source.Path}: {ex.Message}. Nothing was copied.", 1, ex);
        }
    }

    /// <summary>
    /// Pairs every PostgreSQL table with its SQLite table (names compared case-insensitively: Quartz's QRTZ_ tables are
    /// upper case in SQLite). SQLite data without a place in PostgreSQL stops the copy; empty leftovers are warnings.
    /// </summary>
    private static List<(PostgresTable Table, string? SourceName, IReadOnlyList<string> SourceColumns)> Plan(SqliteSource source, IReadOnlyList<PostgresTable> tables, List<string> warnings)
    {
        var sourceTables = source.Tables();
        var errors = new List<string>();
        foreach (var (name, columns) in sourceTables)
        {
            var table = tables.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (table is null)
            {
                var rows = source.Count(name);
                if (rows > 0)
                {
                    errors.Add($"table {name} ({rows} rows) has no PostgreSQL table");
                }
                else
                {
                    warnings.Add($"table {name} is empty and has no PostgreSQL table; skipped.");
                }

                continue;
            }

            foreach (var column in columns.Where(c => table.Find(c) is null))
            {
                var values = source.Count(name, column);
                if (values > 0)
                {
                    errors.Add($"column {name}.{column} ({values} values) has no PostgreSQL column");
                }
                else
                {
                    warnings.Add($"column {name}.{column} holds no values and has no PostgreSQL column; skipped.");
                }
            }

            foreach (var column in table.Columns.Where(c => c.Type is null && columns.Contains(c.Name, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"column {table.Name}.{column.Name} has PostgreSQL type {column.UdtName}, which the copier does not convert");
            }
        }

        if (errors.Count > 0)
        {
            throw new DatabaseCommandException(
                "The PostgreSQL schema has no place for some of the SQLite data, nothing was copied: " + string.Join("; ", errors) +
                ". Is this ccbot older than the one that wrote the SQLite database?");
        }

        return [.. tables.Select(t =>
        {
            var name = sourceTables.Keys.FirstOrDefault(n => n.Equals(t.Name, StringComparison.OrdinalIgnoreCase));
            return (t, name, name is null ? [] : sourceTables[name]);
        })];
    }

    private static async Task<long> CopyTableAsync(SqliteSource source, string sourceName, IReadOnlyList<string> sourceColumns, PostgresTable table, NpgsqlConnection connection, TextWriter progress, CancellationToken ct)
    {
        var columns = sourceColumns
            .Select(c => (Source: c, Target: table.Find(c)))
            .Where(c => c.Target is { IsGenerated: false })
            .Select(c => (c.Source, Target: c.Target!))
            .ToList();
        if (columns.Count == 0)
        {
            return 0;
        }

        using var read = source.Connection.CreateCommand();
        read.CommandText = $"SELECT {string.Join(", ", columns.Select(c => PostgresSchema.Quote(c.Source)))} FROM {PostgresSchema.Quote(sourceName)}";
        using var reader = await read.ExecuteReaderAsync(ct);
        var copy = $"COPY {PostgresSchema.Quote(table.Name)} ({string.Join(", ", columns.Select(c => PostgresSchema.Quote(c.Target.Name)))}) FROM STDIN (FORMAT BINARY)";
        long rows = 0;
        await using (var importer = await connection.BeginBinaryImportAsync(copy, ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (++rows % ProgressEvery == 0)
                {
                    await progress.WriteLineAsync($"  {table.Name}: {rows} rows…");
                }

                await importer.StartRowAsync(ct);
                for (var i = 0; i < columns.Count; i++)
                {
                    var raw = reader.GetValue(i);
                    object? value;
                    try
                    {
                        value = ColumnConverter.Convert(raw, columns[i].Target.Type!.Value);
                    }
                    catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
                    {
                        throw new DatabaseCommandException($"{sourceName}.{columns[i].Source}, row {rows}: {ex.Message} ({ColumnConverter.Show(raw)} for PostgreSQL {columns[i].Target.UdtName}). Nothing was copied.", 1, ex);
                    }

                    if (value is null)
                    {
                        await importer.WriteNullAsync(ct);
                    }
                    else
                    {
                        await importer.WriteAsync(value, columns[i].Target.Type!.Value, ct);
                    }
                }
            }

            await importer.CompleteAsync(ct);
        }

        return rows;
    }

    /// <summary>
    /// The next generated id of every identity (or serial) column continues after the copied ids, and after the last id
    /// SQLite handed out (<paramref name="lastAutoincrement"/>): ids of deleted rows are not reused either.
    /// </summary>
    private static async Task ResetSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PostgresTable table, long lastAutoincrement, CancellationToken ct)
    {
        foreach (var column in table.Columns.Where(c => c.IsIdentity))
        {
            var sql = $"SELECT setval(pg_get_serial_sequence(@table, @column), GREATEST(COALESCE((SELECT MAX({PostgresSchema.Quote(column.Name)}) FROM {PostgresSchema.Quote(table.Name)}), 0), @floor) + 1, false)";
            await using var cmd = new NpgsqlCommand(sql, connection, tx);
            cmd.Parameters.AddWithValue("table", PostgresSchema.Quote(table.Name));
            cmd.Parameters.AddWithValue("column", column.Name);
            cmd.Parameters.AddWithValue("floor", lastAutoincrement);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task RefuseNonEmptyAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string where, CancellationToken ct)
    {
        var nonEmpty = new List<string>();
        foreach (var table in await PostgresSchema.ReadTablesAsync(connection, tx, ct))
        {
            await using var cmd = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {PostgresSchema.Quote(table.Name)})", connection, tx);
            if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
            {
                nonEmpty.Add(table.Name);
            }
        }

        if (nonEmpty.Count > 0)
        {
            throw new DatabaseCommandException(
                $"{where} already holds data (tables {string.Join(", ", nonEmpty)}); db copy only fills an empty database. " +
                "Create a new database (CREATE DATABASE ccbot OWNER ccbot) and copy into it; no host may have run on it yet.");
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT COUNT(*) FROM {PostgresSchema.Quote(table)}", connection, tx);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
