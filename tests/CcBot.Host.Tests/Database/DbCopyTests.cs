using System.Globalization;
using CcBot.Host.Cli;
using CcBot.Host.Cli.Database;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CcBot.Host.Tests.Database;

/// <summary>
/// <c>ccbot db copy --from sqlite:PATH --to postgres:CONN</c> on an installation written by the real services. The
/// assertions run over every table the PostgreSQL migrations create, so they cover each slice once its PostgreSQL
/// migrations are registered.
/// </summary>
public sealed class DbCopyTests
{
    [Fact]
    public async Task Copies_every_table_with_converted_values_and_identities_that_continue()
    {
        var folder = TestHost.NewDataFolder();
        var sqlite = await DbCli.MakeSqliteInstallationAsync(folder);
        // The last reply is gone (as after a manual clean-up): its seq must not be handed out again.
        var lastSeq = DbCli.SqliteScalar(sqlite, "SELECT MAX(seq) FROM transcript");
        DbCli.SqliteExec(sqlite, $"DELETE FROM transcript WHERE seq = {lastSeq}");
        await using var pg = await StorageBackend.CreateAsync("postgres");

        var (exit, output) = await DbCli.RunAsync(DbCli.SqliteOverrides(folder), "db", "copy", "--from", "sqlite:" + sqlite, "--to", "postgres:" + pg.ConnectionString);

        exit.Should().Be(0, output);
        output.Should().Contain("transcript:").And.Contain("committed");
        var tables = await DbCli.PgTablesAsync(pg.ConnectionString);
        tables.Should().Contain(["transcript", "conversations", "users", "escalations", "settings"]);
        var sqliteTables = SqliteTableNames(sqlite);
        foreach (var table in tables)
        {
            var source = sqliteTables.FirstOrDefault(t => t.Equals(table, StringComparison.OrdinalIgnoreCase));
            var expected = source is null ? 0 : DbCli.SqliteScalar(sqlite, $"SELECT COUNT(*) FROM \"{source}\"");
            (await DbCli.PgScalarAsync(pg.ConnectionString, $"SELECT COUNT(*) FROM \"{table}\"")).Should().Be(expected, $"table {table}");
            output.Should().Contain($"{table}: {expected} → {expected}");
        }

        foreach (var table in new[] { "transcript", "conversations", "users", "escalations", "settings" })
        {
            DbCli.SqliteScalar(sqlite, $"SELECT COUNT(*) FROM {table}").Should().BePositive($"the installation has {table} rows");
        }

        // Values: ISO text times become the same instants (to PostgreSQL's microsecond), 0/1 become booleans.
        var sourceRows = ReadSqlite(sqlite, "SELECT seq, inbound, created_at, text FROM transcript ORDER BY seq");
        await using (var conn = new NpgsqlConnection(pg.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT seq, inbound, created_at, text FROM transcript ORDER BY seq", conn);
            await using var r = await cmd.ExecuteReaderAsync();
            var i = 0;
            while (await r.ReadAsync())
            {
                var s = sourceRows[i++];
                r.GetInt64(0).Should().Be((long)s[0]!);
                r.GetBoolean(1).Should().Be((long)s[1]! == 1);
                var expectedAt = DateTimeOffset.Parse((string)s[2]!, CultureInfo.InvariantCulture);
                r.GetFieldValue<DateTimeOffset>(2).Should().BeCloseTo(expectedAt, TimeSpan.FromMicroseconds(1));
                (r.IsDBNull(3) ? null : r.GetString(3)).Should().Be(s[3] as string);
            }

            i.Should().Be(sourceRows.Count);
        }

        (await DbCli.PgScalarAsync(pg.ConnectionString, "SELECT COUNT(*) FROM escalations WHERE text = 'toi khong nop duoc bai du thi qua mang' AND status = 'open'")).Should().Be(1);

        // Identities continue after the copied ids.
        var maxUser = DbCli.SqliteScalar(sqlite, "SELECT MAX(id) FROM users");
        (await DbCli.PgScalarAsync(pg.ConnectionString, "INSERT INTO users(channel, channel_user_id, created_at) VALUES ('console', 'moi', now()) RETURNING id")).Should().Be(maxUser + 1);
        (await DbCli.PgScalarAsync(pg.ConnectionString, "INSERT INTO transcript(conversation_key, inbound, activity_id, channel, kind, created_at, status) VALUES ('k', true, 'new', 'console', 'message', now(), 'done') RETURNING seq")).Should().Be(lastSeq + 1);

        // The copied database serves the bot: the setting written on SQLite is read back on PostgreSQL.
        using (var host = DbCli.BuildServices(DbCli.PostgresOverrides(pg.ConnectionString)))
        {
            (await host.Services.GetRequiredService<Core.Storage.ISettingsStore>().GetOrCreateAsync("test.copied", () => "mới", default)).Should().Be("giá trị gốc");
        }
    }

    [Fact]
    public async Task A_target_holding_data_is_refused_and_left_as_it_was()
    {
        var folder = TestHost.NewDataFolder();
        var sqlite = await DbCli.MakeSqliteInstallationAsync(folder);
        await using var pg = await StorageBackend.CreateAsync("postgres");
        using (var host = DbCli.BuildServices(DbCli.PostgresOverrides(pg.ConnectionString)))
        {
            await host.Services.GetRequiredService<Core.Storage.ISettingsStore>().GetOrCreateAsync("already.here", () => "x", default);
        }

        (await DbCli.RunAsync(DbCli.SqliteOverrides(folder), "db", "copy", "--from", "sqlite:" + sqlite, "--to", "postgres:" + pg.ConnectionString)).Exit.Should().Be(2);
        var act = () => DbCli.Copier(TextWriter.Null, folder).CopyAsync(sqlite, pg.ConnectionString, default);
        (await act.Should().ThrowAsync<DatabaseCommandException>()).Which.Message.Should().Contain("already holds data").And.Contain("settings");

        (await DbCli.PgScalarAsync(pg.ConnectionString, "SELECT COUNT(*) FROM settings")).Should().Be(1);
        (await DbCli.PgScalarAsync(pg.ConnectionString, "SELECT COUNT(*) FROM transcript")).Should().Be(0);
    }

    [Fact]
    public async Task Sqlite_data_without_a_postgres_table_or_column_stops_the_copy_naming_it()
    {
        var folder = TestHost.NewDataFolder();
        var sqlite = await DbCli.MakeSqliteInstallationAsync(folder);
        DbCli.SqliteExec(sqlite, "CREATE TABLE local_notes(id INTEGER PRIMARY KEY, note TEXT); INSERT INTO local_notes(note) VALUES ('x'); ALTER TABLE users ADD COLUMN nickname TEXT; UPDATE users SET nickname = 'n';");
        await using var pg = await StorageBackend.CreateAsync("postgres");

        var act = () => DbCli.Copier(TextWriter.Null, folder).CopyAsync(sqlite, pg.ConnectionString, default);

        (await act.Should().ThrowAsync<DatabaseCommandException>()).Which.Message.Should().Contain("table local_notes (1 rows)").And.Contain("column users.nickname");
        (await DbCli.PgScalarAsync(pg.ConnectionString, "SELECT COUNT(*) FROM transcript")).Should().Be(0, "nothing is copied");
    }

    [Fact]
    public async Task Tables_are_matched_case_insensitively_filled_parents_first_and_converted_by_column_type()
    {
        // Quartz-like: upper-case names in SQLite, lower-case in PostgreSQL, a foreign key from a table that sorts
        // first, tick counts in bigint columns, BIT flags, blobs, and a time with an offset.
        var folder = TestHost.NewDataFolder();
        var sqlite = Path.Combine(folder, "ccbot.db");
        (await DbCli.RunAsync(DbCli.SqliteOverrides(folder), "db", "migrate")).Exit.Should().Be(0);
        DbCli.SqliteExec(sqlite, """
            CREATE TABLE QRTZ_A_CHILD(SCHED_NAME NVARCHAR(120) NOT NULL, PARENT_NAME NVARCHAR(150) NOT NULL, NEXT_FIRE_TIME BIGINT, IS_DURABLE BIT NOT NULL, JOB_DATA BLOB, RATIO REAL, SEEN_AT TEXT,
                PRIMARY KEY(SCHED_NAME, PARENT_NAME), FOREIGN KEY(SCHED_NAME, PARENT_NAME) REFERENCES QRTZ_B_PARENT(SCHED_NAME, NAME));
            CREATE TABLE QRTZ_B_PARENT(SCHED_NAME NVARCHAR(120) NOT NULL, NAME NVARCHAR(150) NOT NULL, PRIMARY KEY(SCHED_NAME, NAME));
            INSERT INTO QRTZ_B_PARENT VALUES ('s', 'p1'), ('s', 'p2');
            INSERT INTO QRTZ_A_CHILD VALUES ('s', 'p1', 638999999999999999, 1, X'00FF10', 0.25, '2024-11-30T17:00:00.1234560+07:00');
            INSERT INTO QRTZ_A_CHILD VALUES ('s', 'p2', NULL, 'true', NULL, 3, NULL);
            """);
        await using var pg = await StorageBackend.CreateAsync("postgres");
        await using (var conn = new NpgsqlConnection(pg.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                CREATE TABLE qrtz_b_parent(sched_name text NOT NULL, name text NOT NULL, PRIMARY KEY(sched_name, name));
                CREATE TABLE qrtz_a_child(sched_name text NOT NULL, parent_name text NOT NULL, next_fire_time bigint, is_durable boolean NOT NULL, job_data bytea,
                    ratio double precision, seen_at timestamptz, extra text DEFAULT 'mặc định',
                    PRIMARY KEY(sched_name, parent_name), FOREIGN KEY(sched_name, parent_name) REFERENCES qrtz_b_parent(sched_name, name));
                """, conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var progress = new StringWriter();
        var report = await DbCli.Copier(progress, folder).CopyAsync(sqlite, pg.ConnectionString, default);

        report.Tables.Select(t => t.Table).Should().ContainInOrder("qrtz_b_parent", "qrtz_a_child");
        report.Tables.Single(t => t.Table == "qrtz_a_child").Should().Be(new TableCopy("qrtz_a_child", 2, 2));
        await using (var conn = new NpgsqlConnection(pg.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT next_fire_time, is_durable, job_data, ratio, seen_at, extra FROM qrtz_a_child ORDER BY parent_name", conn);
            await using var r = await cmd.ExecuteReaderAsync();
            (await r.ReadAsync()).Should().BeTrue();
            r.GetInt64(0).Should().Be(638999999999999999);
            r.GetBoolean(1).Should().BeTrue();
            r.GetFieldValue<byte[]>(2).Should().Equal(0x00, 0xFF, 0x10);
            r.GetDouble(3).Should().Be(0.25);
            r.GetFieldValue<DateTimeOffset>(4).Should().Be(new DateTimeOffset(2024, 11, 30, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560));
            r.GetString(5).Should().Be("mặc định", "a column SQLite does not have gets its PostgreSQL default");
            (await r.ReadAsync()).Should().BeTrue();
            r.IsDBNull(0).Should().BeTrue();
            r.GetBoolean(1).Should().BeTrue();
            r.GetDouble(3).Should().Be(3);
            r.IsDBNull(4).Should().BeTrue();
        }
    }

    [Fact]
    public async Task A_bad_value_names_its_table_column_and_row_and_copies_nothing()
    {
        var folder = TestHost.NewDataFolder();
        var sqlite = await DbCli.MakeSqliteInstallationAsync(folder);
        DbCli.SqliteExec(sqlite, "UPDATE users SET created_at = 'hôm qua' WHERE id = (SELECT MAX(id) FROM users)");
        await using var pg = await StorageBackend.CreateAsync("postgres");

        var act = () => DbCli.Copier(TextWriter.Null, folder).CopyAsync(sqlite, pg.ConnectionString, default);

        (await act.Should().ThrowAsync<DatabaseCommandException>()).Which.Message.Should().Contain("users.created_at, row 2").And.Contain("'hôm qua'").And.Contain("Nothing was copied");
        (await DbCli.PgScalarAsync(pg.ConnectionString, "SELECT COUNT(*) FROM transcript")).Should().Be(0);
    }

    [Fact]
    public async Task Bad_from_and_to_arguments_give_clear_errors()
    {
        var folder = TestHost.NewDataFolder();
        var overrides = DbCli.SqliteOverrides(folder);
        await using var pg = await StorageBackend.CreateAsync("postgres");
        var to = "postgres:" + pg.ConnectionString;

        var missing = Path.Combine(folder, "nope.db");
        (await DbCli.RunAsync(overrides, "db", "copy", "--from", "sqlite:" + missing, "--to", to)).Exit.Should().Be(2);
        Invoking(() => SqliteSource.Open(missing)).Should().Throw<DatabaseCommandException>().WithMessage("*no such file*");

        var text = Path.Combine(folder, "notes.txt");
        await File.WriteAllTextAsync(text, "không phải cơ sở dữ liệu");
        (await DbCli.RunAsync(overrides, "db", "copy", "--from", "sqlite:" + text, "--to", to)).Exit.Should().Be(2);
        Invoking(() => SqliteSource.Open(text)).Should().Throw<DatabaseCommandException>().WithMessage("*is not a SQLite database*");

        var other = Path.Combine(folder, "other.db");
        DbCli.SqliteExec(other, "CREATE TABLE t(x INTEGER)");
        Invoking(() => SqliteSource.Open(other)).Should().Throw<DatabaseCommandException>().WithMessage("*not a CcBot database*");

        Invoking(() => DatabaseLocation.ParseSqlite("/srv/ccbot.db")).Should().Throw<DatabaseCommandException>().WithMessage("--from must be sqlite:PATH*");
        Invoking(() => DatabaseLocation.ParsePostgres("mysql:Server=x")).Should().Throw<DatabaseCommandException>().WithMessage("--to must be postgres:*");
        Invoking(() => DatabaseLocation.ParsePostgres("postgres:Hots=127.0.0.1;Password=secret")).Should().Throw<DatabaseCommandException>()
            .WithMessage("--to is not a valid PostgreSQL connection string*").Which.Message.Should().NotContain("secret");
        Invoking(() => DatabaseLocation.ParsePostgres("postgres:Database=ccbot")).Should().Throw<DatabaseCommandException>().WithMessage("--to has no Host*");

        var sqlite = await DbCli.MakeSqliteInstallationAsync(folder);
        (await DbCli.RunAsync(overrides, "db", "copy", "--from", "sqlite:" + sqlite, "--to", "postgres:Hots=127.0.0.1")).Exit.Should().Be(2);
        (await DbCli.RunAsync(overrides, "db", "copy", "--from", "sqlite:" + sqlite, "--to", "postgres:Host=127.0.0.1;Port=1;Database=ccbot;Timeout=3")).Exit.Should().Be(1);
        var unreachable = () => DbCli.Copier(TextWriter.Null, folder).CopyAsync(sqlite, "Host=127.0.0.1;Port=1;Database=ccbot;Timeout=3", default);
        (await unreachable.Should().ThrowAsync<DatabaseCommandException>()).Which.Message.Should().StartWith("Cannot reach PostgreSQL 127.0.0.1:1/ccbot");
        (await DbCli.PgTablesAsync(pg.ConnectionString)).Should().BeEmpty("no failed attempt touched the target");
    }

    private static Action Invoking(Action action) => action;

    private static List<string> SqliteTableNames(string path)
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    private static List<object?[]> ReadSqlite(string path, string sql)
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
