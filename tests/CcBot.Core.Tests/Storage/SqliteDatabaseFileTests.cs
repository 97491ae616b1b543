using CcBot.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CcBot.Core.Tests.Storage;

public sealed class SqliteDatabaseFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ccbot-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_database_file_that_has_gone_is_an_error_not_a_new_empty_database()
    {
        var path = Path.Combine(_folder, "ccbot.db");
        await using var db = new SqliteDatabase("Data Source=" + path, NullLogger<SqliteDatabase>.Instance);
        db.Initialize([new Migration("0001_t", "CREATE TABLE t(x INTEGER);")]);
        File.Exists(path).Should().BeTrue("Initialize creates the file");

        SqliteConnection.ClearAllPools();
        File.Move(path, path + ".moved");
        foreach (var side in new[] { "-wal", "-shm" }.Where(s => File.Exists(path + s)))
        {
            File.Move(path + side, path + ".moved" + side);
        }

        var open = () => db.OpenConnection();

        open.Should().Throw<SqliteException>("the file is not where it was");
        File.Exists(path).Should().BeFalse("no empty database is started in its place");
    }
}
