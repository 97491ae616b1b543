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
        var overrides = Overrides(folder);
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
    public async Task A_number_picks_its_button_and_a_link_button_prints_its_address()
    {
        var folder = TestHost.NewDataFolder();
        var overrides = Overrides(folder);
        var first = new StringWriter();
        await CliRoot.RunAsync(["chat", "--user", "links"], new StringReader("so dien thoai ban thu ky khanh hoa\n/quit\n"), first, overrides);
        var call = System.Text.RegularExpressions.Regex.Matches(first.ToString(), @"\[(\d+)\] (Gọi [^\n]+?)  →  (tel:\S+)").Last();
        var (number, title, url) = (call.Groups[1].Value, call.Groups[2].Value, call.Groups[3].Value);

        var output = new StringWriter();
        var exit = await CliRoot.RunAsync(["chat", "--user", "links"], new StringReader($"so dien thoai ban thu ky khanh hoa\n{number}\n99\n/quit\n"), output, overrides);

        exit.Should().Be(0);
        var text = output.ToString();
        text.Should().Contain($"  {title}: {url}", "the link button's address is printed");
        text.Should().Contain("Hãy gõ một số từ 1 đến", "a number beyond the buttons is refused, not sent as a question");
        text.Should().NotContain("Tôi chỉ trả lời được", "no number reached the bot as free text");
    }

    [Fact]
    public async Task Contests_validate_succeeds_on_the_repository_data()
    {
        var output = new StringWriter();
        var exit = await CliRoot.RunAsync(["contests", "validate"], TextReader.Null, output, new Dictionary<string, string?> { ["Content:Root"] = RepoPaths.Root });
        exit.Should().Be(0, output.ToString());
    }

    /// <summary>Configuration for CLI verbs on the database in <paramref name="folder"/>.</summary>
    private static Dictionary<string, string?> Overrides(string folder) => new()
    {
        ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "ccbot.db")}",
        ["Storage:DataFolder"] = folder,
        ["Content:Root"] = RepoPaths.Root,
        ["Nlu:ModelFile"] = TestHost.SharedModelFile,
    };
}
