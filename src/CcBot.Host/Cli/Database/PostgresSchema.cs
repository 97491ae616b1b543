using Npgsql;
using NpgsqlTypes;

namespace CcBot.Host.Cli.Database;

/// <summary>A column of a PostgreSQL table as the copier needs it.</summary>
public sealed record PostgresColumn(string Name, string UdtName, NpgsqlDbType? Type, bool IsIdentity, bool IsGenerated);

/// <summary>A base table of the <c>public</c> schema with its columns in order.</summary>
public sealed record PostgresTable(string Name, IReadOnlyList<PostgresColumn> Columns)
{
    public PostgresColumn? Find(string column) => Columns.FirstOrDefault(c => c.Name.Equals(column, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Reads the target's tables from <c>information_schema</c> and orders them so referenced tables come first.</summary>
public static class PostgresSchema
{
    /// <summary>Tables that belong to the migration runner, never copied.</summary>
    public const string MigrationsTable = "schema_migrations";

    /// <summary>The base tables of <c>public</c> (views excluded, <c>schema_migrations</c> excluded), parents before children.</summary>
    public static async Task<IReadOnlyList<PostgresTable>> ReadTablesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var columns = new Dictionary<string, List<PostgresColumn>>(StringComparer.Ordinal);
        const string ColumnsSql = """
            SELECT c.table_name, c.column_name, c.udt_name,
                   c.is_identity = 'YES' OR COALESCE(c.column_default, '') LIKE 'nextval(%',
                   c.is_generated = 'ALWAYS'
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> @migrations
            ORDER BY c.table_name, c.ordinal_position
            """;
        await using (var cmd = new NpgsqlCommand(ColumnsSql, conn, tx))
        {
            cmd.Parameters.AddWithValue("migrations", MigrationsTable);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var table = r.GetString(0);
                if (!columns.TryGetValue(table, out var list))
                {
                    columns[table] = list = [];
                }

                var udt = r.GetString(2);
                list.Add(new PostgresColumn(r.GetString(1), udt, ColumnConverter.TypeOf(udt), r.GetBoolean(3), r.GetBoolean(4)));
            }
        }

        var references = new List<(string Child, string Parent)>();
        const string ForeignKeysSql = """
            SELECT child.relname, parent.relname
            FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid
            JOIN pg_class parent ON parent.oid = k.confrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            WHERE k.contype = 'f' AND n.nspname = 'public'
            """;
        await using (var cmd = new NpgsqlCommand(ForeignKeysSql, conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                references.Add((r.GetString(0), r.GetString(1)));
            }
        }

        return [.. ParentsFirst(columns.Keys, references).Select(name => new PostgresTable(name, columns[name]))];
    }

    /// <summary>
    /// Topological order (Kahn) of <paramref name="tables"/> so every referenced table precedes the tables referencing
    /// it; ties and any cycle fall back to name order.
    /// </summary>
    public static IReadOnlyList<string> ParentsFirst(IEnumerable<string> tables, IEnumerable<(string Child, string Parent)> references)
    {
        var pending = new SortedSet<string>(tables, StringComparer.Ordinal);
        var parents = pending.ToDictionary(t => t, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (child, parent) in references)
        {
            if (child != parent && parents.ContainsKey(child) && parents.ContainsKey(parent))
            {
                parents[child].Add(parent);
            }
        }

        var order = new List<string>();
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(t => parents[t].All(p => !pending.Contains(p))) ?? pending.Min!;
            pending.Remove(next);
            order.Add(next);
        }

        return order;
    }

    /// <summary>A quoted identifier (<c>"name"</c>).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
