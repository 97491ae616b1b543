using System.Globalization;
using System.Text;
using NpgsqlTypes;

namespace CcBot.Host.Cli.Database;

/// <summary>
/// Converts a SQLite value (<c>long</c>, <c>double</c>, <c>string</c>, <c>byte[]</c> or null) to the CLR value Npgsql
/// writes for a PostgreSQL column type: ISO 8601 text to <c>timestamptz</c>, 0/1 to <c>boolean</c>, and so on.
/// </summary>
public static class ColumnConverter
{
    /// <summary>The Npgsql type of a column by its <c>information_schema.columns.udt_name</c>; null when the copier does not handle it.</summary>
    public static NpgsqlDbType? TypeOf(string udtName) => udtName switch
    {
        "timestamptz" => NpgsqlDbType.TimestampTz,
        "timestamp" => NpgsqlDbType.Timestamp,
        "date" => NpgsqlDbType.Date,
        "bool" => NpgsqlDbType.Boolean,
        "int2" => NpgsqlDbType.Smallint,
        "int4" => NpgsqlDbType.Integer,
        "int8" => NpgsqlDbType.Bigint,
        "float4" => NpgsqlDbType.Real,
        "float8" => NpgsqlDbType.Double,
        "numeric" => NpgsqlDbType.Numeric,
        "bytea" => NpgsqlDbType.Bytea,
        "text" => NpgsqlDbType.Text,
        "varchar" => NpgsqlDbType.Varchar,
        "bpchar" => NpgsqlDbType.Char,
        "name" => NpgsqlDbType.Name,
        "jsonb" => NpgsqlDbType.Jsonb,
        "json" => NpgsqlDbType.Json,
        "uuid" => NpgsqlDbType.Uuid,
        "interval" => NpgsqlDbType.Interval,
        _ => null,
    };

    /// <summary>The value to write, or null for SQL NULL. Throws <see cref="FormatException"/> when it cannot be converted.</summary>
    public static object? Convert(object? value, NpgsqlDbType type)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        return type switch
        {
            NpgsqlDbType.TimestampTz => ToDateTimeOffset(value).ToUniversalTime(),
            NpgsqlDbType.Timestamp => DateTime.SpecifyKind(ToDateTimeOffset(value).UtcDateTime, DateTimeKind.Unspecified),
            NpgsqlDbType.Date => value is string s && DateOnly.TryParse(s, CultureInfo.InvariantCulture, out var d) ? d : DateOnly.FromDateTime(ToDateTimeOffset(value).UtcDateTime),
            NpgsqlDbType.Boolean => ToBoolean(value),
            NpgsqlDbType.Smallint => checked((short)ToInt64(value)),
            NpgsqlDbType.Integer => checked((int)ToInt64(value)),
            NpgsqlDbType.Bigint => ToInt64(value),
            NpgsqlDbType.Real => (float)ToDouble(value),
            NpgsqlDbType.Double => ToDouble(value),
            NpgsqlDbType.Numeric => value switch
            {
                long l => (decimal)l,
                double x => (decimal)x,
                string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => throw Unconvertible(value, type),
            },
            NpgsqlDbType.Bytea => value switch
            {
                byte[] b => b,
                string s => Encoding.UTF8.GetBytes(s),
                _ => throw Unconvertible(value, type),
            },
            NpgsqlDbType.Uuid => value switch
            {
                string s => Guid.Parse(s, CultureInfo.InvariantCulture),
                byte[] { Length: 16 } b => new Guid(b),
                _ => throw Unconvertible(value, type),
            },
            NpgsqlDbType.Interval => value is string s ? TimeSpan.Parse(s, CultureInfo.InvariantCulture) : throw Unconvertible(value, type),
            _ => ToText(value),
        };
    }

    private static DateTimeOffset ToDateTimeOffset(object value) => value is string s
        ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
        : throw Unconvertible(value, NpgsqlDbType.TimestampTz);

    private static bool ToBoolean(object value) => value switch
    {
        long l => l != 0,
        double x => x != 0,
        string s when s is "1" or "0" => s == "1",
        string s when bool.TryParse(s, out var b) => b,
        string s when s.Equals("t", StringComparison.OrdinalIgnoreCase) || s.Equals("f", StringComparison.OrdinalIgnoreCase) => s.Equals("t", StringComparison.OrdinalIgnoreCase),
        _ => throw Unconvertible(value, NpgsqlDbType.Boolean),
    };

    private static long ToInt64(object value) => value switch
    {
        long l => l,
        double x when x == Math.Floor(x) && x is >= long.MinValue and <= long.MaxValue => (long)x,
        string s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => throw Unconvertible(value, NpgsqlDbType.Bigint),
    };

    private static double ToDouble(object value) => value switch
    {
        double x => x,
        long l => l,
        string s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw Unconvertible(value, NpgsqlDbType.Double),
    };

    private static string ToText(object value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        byte[] b => Encoding.UTF8.GetString(b),
        _ => throw Unconvertible(value, NpgsqlDbType.Text),
    };

    private static FormatException Unconvertible(object value, NpgsqlDbType type) =>
        new($"cannot convert {Show(value)} to {type}");

    /// <summary>A short rendering of a value for error messages.</summary>
    public static string Show(object? value) => value switch
    {
        null or DBNull => "NULL",
        byte[] b => $"a {b.Length}-byte blob",
        string s => "'" + (s.Length > 40 ? s[..40] + "…" : s) + "'",
        _ => $"{value} ({value.GetType().Name})",
    };
}
