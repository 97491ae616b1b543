using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Conversation;

/// <summary><c>chat</c>: the same bot in the terminal, buttons as numbered choices, on the same database.</summary>
public sealed class CliChatTests
{
    [Fact]
    public async Task Terminal_chat_numbers_buttons_and_stores_the_conversation()
    {
        var folder = TestHost.NewDataFolder();
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "ccbot.db")}",
            ["Storage:DataFolder"] = folder,
            ["Content:Root"] = RepoPaths.Root,
            ["Nlu:ModelFile"] = TestHost.SharedModelFile,
        };
        var input = new StringReader("2\nso dien thoai ban thu ky khanh hoa\n/quit\n");
        var output = new StringWriter();

        var exit = await CliRoot.RunAsync(["chat", "--user", "tester"], input, output, overrides);

        exit.Should().Be(0);
        var text = output.ToString();
        text.Should().Contain("[1] Thể lệ").And.Contain("[7] Gặp cán bộ hỗ trợ");
        text.Should().Contain("Bạn muốn hỏi về cuộc thi nào", "choice 2 pressed 'Thời gian' with no contest chosen yet");
        text.Should().Contain("0914 233499");

        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "ccbot.db")}");
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM transcript WHERE channel = 'console' AND user_id = 'tester'";
        ((long)(await cmd.ExecuteScalarAsync())!).Should().BeGreaterThanOrEqualTo(6);
    }

    [Fact]
    public async Task Contests_validate_succeeds_on_the_repository_data()
    {
        var output = new StringWriter();
        var exit = await CliRoot.RunAsync(["contests", "validate"], TextReader.Null, output, new Dictionary<string, string?> { ["Content:Root"] = RepoPaths.Root });
        exit.Should().Be(0, output.ToString());
    }
}
