using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CcBot.Host.Tests.Database;

/// <summary><c>db backup</c> while web-chat turns are written, and <c>db restore</c> of it with the bot stopped.</summary>
public sealed class DbBackupTests
{
    private static Dictionary<string, string?> Overrides(string folder) => new()
    {
        ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "ccbot.db")}",
        ["Storage:DataFolder"] = folder,
        ["Content:Root"] = RepoPaths.Root,
        ["Nlu:ModelFile"] = TestHost.SharedModelFile,
    };

    private static long Scalar(string database, string sql)
    {
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string folder, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var saved = System.Console.Error;
        System.Console.SetError(error);
        try
        {
            var exit = await CliRoot.RunAsync(args, TextReader.Null, output, Overrides(folder));
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            System.Console.SetError(saved);
        }
    }

    [Fact]
    public async Task A_backup_taken_while_turns_are_written_is_whole_and_a_restore_of_it_answers_from_that_state()
    {
        var folder = TestHost.NewDataFolder();
        var copy = Path.Combine(TestHost.NewDataFolder(), "ccbot-backup.db");
        string conversation, token;
        long committedBefore;
        await using (var host = await TestHost.StartAsync(dataFolder: folder))
        {
            var chat = new DirectLineClient(host.Http);
            await chat.StartAsync("hai-duong-2024");
            conversation = chat.ConversationId;
            token = chat.Token;
            await chat.AskAsync("hạn báo cáo hải dương");

            // Other users keep writing turns while the backup runs (each within the per-conversation message burst).
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 6).Select(async _ =>
            {
                var other = new DirectLineClient(host.Http);
                await other.StartAsync();
                var n = 0;
                while (!stop.IsCancellationRequested && n++ < 25)
                {
                    await other.SendAsync("menu " + n);
                }
            }).ToList();
            await Telegram.FakeBotApi.WaitUntilAsync(() => Scalar(host.DatabasePath, "SELECT COUNT(*) FROM transcript") > 40, 60, "turns are being written");
            committedBefore = Scalar(host.DatabasePath, "SELECT MAX(seq) FROM transcript");

            var (exit, output, error) = await RunAsync(folder, "db", "backup", copy);

            stop.Cancel();
            await Task.WhenAll(writers);
            exit.Should().Be(0, error);
            output.Should().Contain("integrity ok");
            (await RunAsync(folder, "db", "backup", copy)).Exit.Should().Be(2, "a backup never overwrites");
            (await RunAsync(folder, "db", "restore", copy)).Error.Should().Contain("The bot is running", "the running host holds its lock");
        }

        Scalar(copy, "SELECT COUNT(*) FROM transcript WHERE seq <= " + committedBefore).Should().Be(
            Scalar(Path.Combine(folder, "ccbot.db"), "SELECT COUNT(*) FROM transcript WHERE seq <= " + committedBefore), "every turn committed before the backup began is in it");

        // A later turn, then the restore: the database is back to the copy, the replaced one kept beside it.
        await using (var host = await TestHost.StartAsync(dataFolder: folder))
        {
            var later = new DirectLineClient(host.Http);
            await later.StartAsync();
            await later.AskAsync("sau khi sao lưu");
        }

        var restored = await RunAsync(folder, "db", "restore", copy);
        restored.Exit.Should().Be(0, restored.Error);
        Scalar(Path.Combine(folder, "ccbot.db"), "SELECT COUNT(*) FROM transcript WHERE text = 'sau khi sao lưu'").Should().Be(0);
        Directory.GetFiles(folder, "ccbot.db.before-restore-*").Should().ContainSingle();

        await using (var host = await TestHost.StartAsync(dataFolder: folder))
        {
            // The token signing key is in the database too: the participant's token still opens the conversation.
            var back = new DirectLineClient(host.Http) { Token = token, ConversationId = conversation };
            var activities = await back.GetActivitiesAsync();
            activities.Should().Contain(a => a["text"] != null && a["text"]!.GetValue<string>() == "hạn báo cáo hải dương", "the conversation is there as it was backed up");
            (await back.AskAsync("còn mấy ngày nữa hết hạn báo cáo")).Should().Contain("9h00 ngày 14/12/2024", "the restored conversation answers from its state (Hải Dương chosen)");
        }
    }

    [Fact]
    public async Task A_damaged_file_or_a_newer_schema_is_refused_and_nothing_changes()
    {
        var folder = TestHost.NewDataFolder();
        await using (var host = await TestHost.StartAsync(dataFolder: folder))
        {
            await new DirectLineClient(host.Http).StartAsync();
        }

        var rows = Scalar(Path.Combine(folder, "ccbot.db"), "SELECT COUNT(*) FROM transcript");
        var garbage = Path.Combine(TestHost.NewDataFolder(), "garbage.db");
        await File.WriteAllBytesAsync(garbage, [.. System.Text.Encoding.ASCII.GetBytes("SQLite format 3\0"), .. new byte[4096]]);
        var refused = await RunAsync(folder, "db", "restore", garbage);
        refused.Exit.Should().Be(2);
        refused.Error.Should().Contain("Nothing was changed");

        var newer = Path.Combine(TestHost.NewDataFolder(), "newer.db");
        (await RunAsync(folder, "db", "backup", newer)).Exit.Should().Be(0);
        using (var conn = new SqliteConnection($"Data Source={newer};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "INSERT INTO schema_migrations(id, applied_at) VALUES ('9999_from_the_future', '2030-01-01')";
            cmd.ExecuteNonQuery();
        }

        var future = await RunAsync(folder, "db", "restore", newer);
        future.Exit.Should().Be(2);
        future.Error.Should().Contain("newer schema").And.Contain("9999_from_the_future");
        Scalar(Path.Combine(folder, "ccbot.db"), "SELECT COUNT(*) FROM transcript").Should().Be(rows);
        Directory.GetFiles(folder, "ccbot.db.before-restore-*").Should().BeEmpty();
    }
}
