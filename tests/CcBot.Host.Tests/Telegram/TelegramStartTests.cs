using CcBot.Core.Channels.Telegram;
using CcBot.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CcBot.Host.Tests.Telegram.TelegramTestSupport;

namespace CcBot.Host.Tests.Telegram;

/// <summary>A start with updates already waiting: recovery runs before the poller takes new ones, each update is answered once.</summary>
public sealed class TelegramStartTests
{
    [Fact]
    public async Task Recovery_starts_before_the_poller_so_turns_in_flight_are_never_taken_for_leftovers()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);

        var order = host.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
        order.IndexOf(typeof(RecoveryService)).Should().BeGreaterThanOrEqualTo(0)
            .And.BeLessThan(order.IndexOf(typeof(TelegramPoller)), "hosted services start in this order");
    }

    [Fact]
    public async Task Updates_waiting_when_the_host_starts_are_each_answered_once()
    {
        await using var fake = await FakeBotApi.StartAsync();
        const int chats = 100, perChat = 3;
        var updateId = 1_000L;
        fake.EnqueueMany(Enumerable.Range(0, perChat).SelectMany(round => Enumerable.Range(0, chats).Select(c =>
        {
            var u = FakeBotApi.TextMessage(70_000 + c, round == 1 ? "cho mình hỏi hạn nộp bài" : "/help", messageId: round + 1);
            u["update_id"] = ++updateId;
            return u;
        })));

        await using var host = await StartAsync(fake);
        await FakeBotApi.WaitUntilAsync(() => fake.ConfirmedOffset == updateId + 1, 60, "every waiting update is confirmed");
        await WaitUntilSettledAsync(host);

        Enumerable.Range(0, chats).Select(c => fake.SentTo(70_000 + c).Count).Should().AllSatisfy(n => n.Should().Be(perChat, "one reply per update"));
        Count(host.DatabasePath, "SELECT COUNT(*) FROM transcript WHERE inbound = 1 AND channel = 'telegram'").Should().Be(chats * perChat);
    }
}
