using CcBot.Host.Tests.Telegram;

namespace CcBot.Host.Tests.Reminders;

/// <summary>Subscribe and unsubscribe through Telegram: command, contest buttons, the reminder's own button, free text.</summary>
public sealed class SubscriptionFlowTests
{
    private const long Chat = 6161;

    [Fact]
    public async Task Subscribe_asks_which_contest_then_unsubscribe_by_command_and_by_free_text()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await TelegramTestSupport.StartAsync(fake);
        long Subscriptions() => TelegramTestSupport.Count(host.DatabasePath, "SELECT COUNT(*) FROM reminder_subscriptions WHERE conversation_key = $k", ("$k", "telegram:" + Chat));

        fake.Enqueue(FakeBotApi.TextMessage(Chat, "/nhacnho", messageId: 1));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(Chat).Count >= 1, 20);
        var ask = fake.SentTo(Chat)[0];
        ask.Text.Should().Contain("cuộc thi nào");
        var choice = ask.Buttons.Select(b => b["callback_data"]!.GetValue<string>()).ToList();
        choice.Should().HaveCount(5, "five contests are loaded and none is chosen yet");

        // The first message the fake sent has id 1001; the contest buttons are callback payloads "subscribe:<id>" (possibly stored as cb:...).
        var pick = ask.Buttons.Single(b => b["text"]!.GetValue<string>().Contains("Hải Dương", StringComparison.Ordinal))["callback_data"]!.GetValue<string>();
        fake.Enqueue(FakeBotApi.Callback(Chat, pick, 1001, queryId: "q-sub"));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(Chat).Any(c => c.Text.Contains("Đã bật nhắc hạn", StringComparison.Ordinal)), 20);
        Subscriptions().Should().Be(1);
        TelegramTestSupport.Scalar(host.DatabasePath, "SELECT contest_id FROM reminder_subscriptions").Should().Be("hai-duong-2024");

        fake.Enqueue(FakeBotApi.TextMessage(Chat, "/nhacnho", messageId: 2));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(Chat).Any(c => c.Text.Contains("đã bật nhắc hạn", StringComparison.Ordinal)), 20,
            "the conversation's contest is now chosen: no question, and no second subscription");
        Subscriptions().Should().Be(1);

        fake.Enqueue(FakeBotApi.TextMessage(Chat, "/huynhac", messageId: 3));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(Chat).Any(c => c.Text.Contains("Đã hủy nhắc hạn", StringComparison.Ordinal)), 20);
        Subscriptions().Should().Be(0);

        fake.Enqueue(FakeBotApi.TextMessage(Chat, "hủy nhắc hạn giúp tôi", messageId: 4));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(Chat).Any(c => c.Text.Contains("chưa đăng ký nhận nhắc hạn", StringComparison.Ordinal)), 20,
            "free text classified as unsubscribe");
    }
}
