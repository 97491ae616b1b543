using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Conversation;

/// <summary>A dialog survives a host restart: its state is in the database, not in memory.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Stopping_the_host_mid_dialog_and_starting_it_again_continues_the_dialog()
    {
        var folder = TestHost.NewDataFolder();
        string token, conversation;
        await using (var first = await TestHost.StartAsync(dataFolder: folder))
        {
            var dl = new DirectLineClient(first.Http);
            await dl.StartAsync();
            await dl.GetActivitiesAsync();
            await dl.SendAsync("Gặp cán bộ hỗ trợ", value: "human");
        (await dl.GetBotMessagesAsync()).Single()["text"]!.GetValue<string>().Should().Contain("Bạn cần cán bộ hỗ trợ về vấn đề gì");
            token = dl.Token;
            conversation = dl.ConversationId;
        }

        await using var second = await TestHost.StartAsync(dataFolder: folder);
        var resumed = new DirectLineClient(second.Http) { Token = token, ConversationId = conversation };
        await resumed.GetActivitiesAsync();

        (await resumed.AskAsync("Tôi không đăng nhập được trang thi Hải Dương")).Should().Contain("họ tên và số điện thoại");
        (await resumed.AskAsync("Nguyễn Văn A 0912345678")).Should().Contain("Đã chuyển câu hỏi của bạn tới cán bộ hỗ trợ");

        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={second.DatabasePath}");
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT text FROM escalations WHERE reason = 'human'";
        ((string)(await cmd.ExecuteScalarAsync())!).Should().Contain("Tôi không đăng nhập được trang thi Hải Dương").And.Contain("0912345678");
    }
}
