using System.Text;
using System.Text.Json.Nodes;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Conversation;

/// <summary>Awkward input gets a helpful reply; nothing crashes and everything sent is stored whole.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<DirectLineClient> StartedAsync()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        await dl.GetActivitiesAsync();
        return dl;
    }

    [Theory]
    [InlineData("", "chưa nhận được nội dung")]
    [InlineData("   \n\t ", "chưa nhận được nội dung")]
    [InlineData("😀😀🎉", "chưa nhận được nội dung")]
    [InlineData("/khonghieu", "không hiểu lệnh /khonghieu")]
    public async Task Empty_whitespace_emoji_and_unknown_commands_get_a_helpful_reply(string text, string expected)
    {
        var dl = await StartedAsync();
        (await dl.AskAsync(text)).Should().Contain(expected);
    }

    [Fact]
    public async Task Fifty_kilobytes_of_text_is_stored_whole_and_answered()
    {
        var dl = await StartedAsync();
        var text = string.Concat(Enumerable.Repeat("Cho tôi hỏi thể lệ cuộc thi Hải Dương thế nào? ", 1100));
        Encoding.UTF8.GetByteCount(text).Should().BeGreaterThan(50_000);

        var reply = await dl.AskAsync(text);

        reply.Should().Contain("Tin nhắn của bạn khá dài");
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_host.DatabasePath}");
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT MAX(LENGTH(text)) FROM transcript WHERE inbound = 1";
        ((long)(await cmd.ExecuteScalarAsync())!).Should().Be(text.Length);
    }

    [Fact]
    public async Task Nfd_composed_vietnamese_is_understood_like_nfc()
    {
        var dl = await StartedAsync();
        var nfd = "Hạn cuối cuộc thi Hải Dương là khi nào?".Normalize(NormalizationForm.FormD);

        (await dl.AskAsync(nfd)).Should().Contain("16h30 ngày 13/12/2024");
    }

    [Fact]
    public async Task A_link_attachment_without_text_gets_a_hint()
    {
        var dl = await StartedAsync();
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "image/png", ["contentUrl"] = "https://example.invalid/a.png", ["name"] = "a.png" }),
        };
        (await dl.PostRawAsync(activity.ToJsonString())).EnsureSuccessStatusCode();

        (await dl.GetBotMessagesAsync()).Single()["text"]!.GetValue<string>().Should().Contain("tệp");
    }

    [Fact]
    public async Task Typing_and_event_activities_are_accepted_without_a_reply()
    {
        var dl = await StartedAsync();
        (await dl.PostRawAsync("""{"type":"typing"}""")).EnsureSuccessStatusCode();
        (await dl.PostRawAsync("""{"type":"event","name":"webchat/join"}""")).EnsureSuccessStatusCode();

        (await dl.GetBotMessagesAsync()).Should().BeEmpty("typing is not a message and a join after the greeting is not greeted again");
    }

    [Fact]
    public async Task Off_topic_text_is_declined_politely_and_an_unclear_question_is_escalated()
    {
        var dl = await StartedAsync();
        (await dl.AskAsync("công thức nấu phở bò ngon nhất")).Should().Contain("Tôi chỉ trả lời được");

        (await dl.AskAsync("nếu mất điện giữa chừng thì thế nào")).Should().Contain("chưa chắc đã hiểu đúng");

        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_host.DatabasePath}");
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM escalations WHERE reason = 'low_confidence' AND text = 'nếu mất điện giữa chừng thì thế nào'";
        ((long)(await cmd.ExecuteScalarAsync())!).Should().Be(1);
    }
}
