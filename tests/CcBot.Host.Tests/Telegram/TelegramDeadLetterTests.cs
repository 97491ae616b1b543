using System.Net;
using System.Text.Json.Nodes;
using CcBot.Core.Channels.Telegram;
using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CcBot.Host.Tests.Telegram.TelegramTestSupport;

namespace CcBot.Host.Tests.Telegram;

/// <summary>One update that cannot be read or stored never holds back the participants behind it.</summary>
public sealed class TelegramDeadLetterTests
{
    [Fact]
    public async Task One_malformed_update_among_100_is_set_aside_and_the_other_99_are_answered()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        var updates = new List<JsonObject>();
        for (var i = 0; i < 100; i++)
        {
            var update = FakeBotApi.TextMessage(10_000 + i, "/help");
            update["update_id"] = 5_000 + i;
            if (i == 40)
            {
                update["message"]!["chat"] = "not a chat"; // does not match the Bot API types
            }

            updates.Add(update);
        }

        fake.EnqueueMany(updates);

        await FakeBotApi.WaitUntilAsync(() => Enumerable.Range(0, 100).Where(i => i != 40).All(i => fake.SentTo(10_000 + i).Count >= 1), 60,
            "the 99 good updates are answered");
        await FakeBotApi.WaitUntilAsync(() => fake.ConfirmedOffset == 5_100, 30, "the poller confirms past the bad update");
        var letters = await host.Services.GetRequiredService<TelegramDeadLetterStore>().ListAsync(10, default);
        var letter = letters.Should().ContainSingle().Subject;
        letter.UpdateId.Should().Be(5_040);
        letter.Attempts.Should().Be(3, "Telegram:MaxUpdateAttempts");
        letter.Error.Should().StartWith("unreadable update");
        letter.Raw.Should().Contain("not a chat");
        Count(host.DatabasePath, "SELECT COUNT(*) FROM processed_activities WHERE channel = 'telegram'").Should().Be(99);

        var output = new StringWriter();
        var exit = await CliRoot.RunAsync(["telegram", "dead-letters"], TextReader.Null, output, new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={host.DatabasePath}",
            ["Storage:DataFolder"] = host.DataFolder,
            ["Content:Root"] = RepoPaths.Root,
        });
        exit.Should().Be(0);
        output.ToString().Should().Contain("update 5040").And.Contain("3 attempt(s)").And.Contain("not a chat");

        using var staff = await CcBot.Host.Tests.Console.ConsoleClient.SignInAsync(host, "dead-letter-staff", CcBot.Host.StaffConsole.StaffRoles.HelpDesk);
        var page = await staff.Http.GetStringAsync("console/helpdesk/dead-letters");
        page.Should().Contain("5040").And.Contain("unreadable update").And.Contain("not a chat");
    }

    [Fact]
    public async Task A_webhook_update_that_does_not_match_the_bot_api_is_set_aside_and_confirmed()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake, extra: new Dictionary<string, string?>
        {
            ["Telegram:Mode"] = "webhook",
            ["Telegram:WebhookUrl"] = "https://bot.example.vn/telegram/webhook",
            ["Telegram:SecretToken"] = "s3cret",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        async Task<HttpStatusCode> PostAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "telegram/webhook") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "s3cret");
            return (await http.SendAsync(request)).StatusCode;
        }

        (await PostAsync("""{"update_id":9001,"message":{"message_id":1,"chat":"not a chat","date":1}}""")).Should().Be(HttpStatusCode.OK,
            "a non-2xx would make Telegram re-send it ahead of every later update");
        (await PostAsync("""{"no_update_id":true}""")).Should().Be(HttpStatusCode.BadRequest);

        var letter = (await host.Services.GetRequiredService<TelegramDeadLetterStore>().ListAsync(10, default)).Should().ContainSingle().Subject;
        letter.UpdateId.Should().Be(9001);
        letter.Raw.Should().Contain("not a chat");
    }
}
