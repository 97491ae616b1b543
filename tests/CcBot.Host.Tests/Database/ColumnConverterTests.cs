using CcBot.Host.Cli.Database;
using NpgsqlTypes;

namespace CcBot.Host.Tests.Database;

public sealed class ColumnConverterTests
{
    [Fact]
    public void Values_are_converted_by_the_postgres_column_type()
    {
        ColumnConverter.Convert("2024-11-30T17:00:00+07:00", NpgsqlDbType.TimestampTz).Should().Be(new DateTimeOffset(2024, 11, 30, 10, 0, 0, TimeSpan.Zero));
        ((DateTimeOffset)ColumnConverter.Convert("2024-11-30 10:00:00", NpgsqlDbType.TimestampTz)!).Offset.Should().Be(TimeSpan.Zero, "a time without offset is UTC");
        ColumnConverter.Convert(1L, NpgsqlDbType.Boolean).Should().Be(true);
        ColumnConverter.Convert(0L, NpgsqlDbType.Boolean).Should().Be(false);
        ColumnConverter.Convert("True", NpgsqlDbType.Boolean).Should().Be(true);
        ColumnConverter.Convert("42", NpgsqlDbType.Bigint).Should().Be(42L);
        ColumnConverter.Convert(7L, NpgsqlDbType.Integer).Should().Be(7);
        ColumnConverter.Convert(2L, NpgsqlDbType.Double).Should().Be(2.0);
        ColumnConverter.Convert(1.5, NpgsqlDbType.Numeric).Should().Be(1.5m);
        ColumnConverter.Convert("{\"a\":1}", NpgsqlDbType.Jsonb).Should().Be("{\"a\":1}");
        ColumnConverter.Convert(12L, NpgsqlDbType.Text).Should().Be("12");
        ColumnConverter.Convert(DBNull.Value, NpgsqlDbType.TimestampTz).Should().BeNull();
        ((byte[])ColumnConverter.Convert(new byte[] { 1, 2 }, NpgsqlDbType.Bytea)!).Should().Equal(1, 2);
    }

    [Fact]
    public void Unconvertible_values_throw()
    {
        var act = () => ColumnConverter.Convert("hôm qua", NpgsqlDbType.TimestampTz);
        act.Should().Throw<FormatException>();
        ((Action)(() => ColumnConverter.Convert(5L, NpgsqlDbType.TimestampTz))).Should().Throw<FormatException>().WithMessage("*TimestampTz*");
        ((Action)(() => ColumnConverter.Convert("maybe", NpgsqlDbType.Boolean))).Should().Throw<FormatException>();
        ((Action)(() => ColumnConverter.Convert(70000L, NpgsqlDbType.Smallint))).Should().Throw<OverflowException>();
        ColumnConverter.TypeOf("inet").Should().BeNull();
    }

    [Fact]
    public void Referenced_tables_come_first_and_cycles_fall_back_to_name_order()
    {
        PostgresSchema.ParentsFirst(["a_child", "b_parent", "c_grandparent", "d"], [("a_child", "b_parent"), ("b_parent", "c_grandparent"), ("d", "d")])
            .Should().Equal("c_grandparent", "b_parent", "a_child", "d");
        PostgresSchema.ParentsFirst(["x", "y"], [("x", "y"), ("y", "x")]).Should().Equal("x", "y");
    }
}
