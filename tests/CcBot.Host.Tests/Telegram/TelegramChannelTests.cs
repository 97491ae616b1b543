using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CcBot.Host.Tests.Telegram.TelegramTestSupport;

namespace CcBot.Host.Tests.Telegram;

/// <summary>The Telegram channel end to end: the real host against a loopback fake Bot API.</summary>
public sealed class TelegramChannelTests
{
    [Fact]
    public async Task Polling_conversation_start_with_contest_then_schedule_button()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);

        fake.CallsTo("getMe").Should().HaveCount(1);
        var commands = fake.CallsTo("setMyCommands").Single().Body["commands"]!.AsArray().Select(c => c!["command"]!.GetValue<string>());
        commands.Should().BeEquivalentTo(["start", "help", "menu", "thi", "nhacnho", "huynhac", "dulieu"]);
        fake.CallsTo("deleteWebhook").Should().HaveCount(1);
        await FakeBotApi.WaitUntilAsync(() => fake.CallsTo("getUpdates").Count > 0, because: "the poller starts");
        var poll = fake.CallsTo("getUpdates").First().Body;
        poll["allowed_updates"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Contain(["message", "edited_message", "callback_query", "my_chat_member"]);

        fake.Enqueue(FakeBotApi.TextMessage(101, "/start hai-duong-2024"));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(101).Count >= 1);
        var welcome = fake.SentTo(101)[0];
        welcome.Body["parse_mode"]!.GetValue<string>().Should().BeEquivalentTo("HTML", "Telegram reads parse_mode case-insensitively; Telegram.Bot writes \"Html\"");
        welcome.Buttons.Select(b => b["callback_data"]?.GetValue<string>()).Should().Contain("schedule");

        var botMessageId = 1001; // first message the fake sent
        fake.Enqueue(FakeBotApi.Callback(101, "schedule", botMessageId, queryId: "q-schedule"));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(101).Any(c => c.Text.Contains("16h30 ngày 13/12/2024", StringComparison.Ordinal)),
            because: "the schedule answer");
        await FakeBotApi.WaitUntilAsync(() => fake.CallsTo("answerCallbackQuery").Any(c => c.Body["callback_query_id"]!.GetValue<string>() == "q-schedule"));

        Count(host.DatabasePath, "SELECT COUNT(*) FROM transcript WHERE inbound = 1 AND channel = 'telegram' AND kind = 'ButtonClick' AND value = 'schedule'")
            .Should().Be(1);
        Scalar(host.DatabasePath, "SELECT display_name FROM users WHERE channel = 'telegram' AND channel_user_id = '101'").Should().Be("Lan Nguyễn");
    }

    [Fact]
    public async Task Webhook_checks_the_secret_stores_and_replies()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake, extra: new Dictionary<string, string?>
        {
            ["Telegram:Mode"] = "webhook",
            ["Telegram:WebhookUrl"] = "https://bot.example.vn/telegram/webhook",
            ["Telegram:SecretToken"] = "s3cret_-Token",
        });

        var setWebhook = fake.CallsTo("setWebhook").Single().Body;
        setWebhook["url"]!.GetValue<string>().Should().Be("https://bot.example.vn/telegram/webhook");
        setWebhook["secret_token"]!.GetValue<string>().Should().Be("s3cret_-Token");
        fake.CallsTo("getUpdates").Should().BeEmpty();

        var update = FakeBotApi.TextMessage(202, "/help");
        update["update_id"] = 7001;
        (await PostAsync(host, update, "s3cret_-Token")).Should().Be(HttpStatusCode.OK);
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(202).Count == 1);

        var other = FakeBotApi.TextMessage(203, "/help");
        other["update_id"] = 7002;
        (await PostAsync(host, other, "wrong")).Should().Be(HttpStatusCode.Unauthorized);
        (await PostAsync(host, other, null)).Should().Be(HttpStatusCode.Unauthorized);
        (await PostRawAsync(host, "{not json", "s3cret_-Token")).Should().Be(HttpStatusCode.BadRequest);

        // The same update again (Telegram re-sends on any non-2xx): stored once, answered once.
        (await PostAsync(host, update, "s3cret_-Token")).Should().Be(HttpStatusCode.OK);
        await WaitUntilSettledAsync(host);
        fake.SentTo(202).Should().HaveCount(1);
        fake.SentTo(203).Should().BeEmpty();
        Count(host.DatabasePath, "SELECT COUNT(*) FROM processed_activities WHERE channel = 'telegram'").Should().Be(1);
    }

    [Fact]
    public async Task Duplicate_update_in_polling_is_answered_once()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        var first = FakeBotApi.TextMessage(250, "/help");
        first["update_id"] = 42;
        var again = FakeBotApi.TextMessage(250, "/help");
        again["update_id"] = 42;
        fake.EnqueueMany([first, again]);
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(250).Count >= 1 && fake.ConfirmedOffset == 43);
        await WaitUntilSettledAsync(host);
        fake.SentTo(250).Should().HaveCount(1);
    }

    [Fact]
    public async Task Crash_between_storing_and_confirming_loses_nothing_and_answers_once()
    {
        await using var fake = await FakeBotApi.StartAsync();
        var folder = TestHost.NewDataFolder();
        fake.DropConfirmations = true;
        var host = await StartAsync(fake, folder);
        var id = fake.Enqueue(FakeBotApi.TextMessage(303, "/help"));
        await FakeBotApi.WaitUntilAsync(() => Count(Path.Combine(folder, "ccbot.db"),
            "SELECT COUNT(*) FROM processed_activities WHERE channel = 'telegram' AND activity_id = $id", ("$id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))) == 1);
        await host.DisposeAsync();
        fake.ConfirmedOffset.Should().Be(0, "the confirmation never reached Telegram");

        fake.DropConfirmations = false;
        await using var restarted = await StartAsync(fake, folder);
        await FakeBotApi.WaitUntilAsync(() => fake.ConfirmedOffset > id, because: "the re-delivered update is confirmed");
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(303).Count >= 1);
        await WaitUntilSettledAsync(restarted);
        fake.SentTo(303).Should().HaveCount(1);
        Count(restarted.DatabasePath, "SELECT COUNT(*) FROM transcript WHERE inbound = 1 AND channel = 'telegram' AND activity_id = $id",
            ("$id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Should().Be(1);
    }

    [Fact]
    public async Task Too_many_requests_is_waited_out_for_retry_after()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        fake.Throttle("sendMessage", retryAfterSeconds: 1);
        fake.Enqueue(FakeBotApi.TextMessage(404, "/help"));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(404).Count >= 2);
        var attempts = fake.SentTo(404);
        (attempts[1].At - attempts[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        await FakeBotApi.WaitUntilAsync(() => Count(host.DatabasePath,
            "SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND conversation_key = 'telegram:404' AND status = 'sent' AND channel_message_id IS NOT NULL") == 1);
    }

    [Fact]
    public async Task Forbidden_marks_the_user_unreachable()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        fake.BlockedChats.Add(505);
        fake.Enqueue(FakeBotApi.TextMessage(505, "/help"));
        await FakeBotApi.WaitUntilAsync(() => Scalar(host.DatabasePath, "SELECT unreachable_at FROM users WHERE channel = 'telegram' AND channel_user_id = '505'") is not null);
        fake.SentTo(505).Should().HaveCount(1, "403 is not retried");
    }

    [Fact]
    public async Task Html_special_characters_arrive_escaped()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        fake.Enqueue(FakeBotApi.TextMessage(606, "/<b>&x"));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(606).Count >= 1);
        var reply = fake.SentTo(606)[0].Text;
        reply.Should().Contain("/&lt;b&gt;&amp;x").And.NotContain("<b>&");

        var messenger = host.Services.GetRequiredService<IProactiveMessenger>();
        var outcome = await messenger.SendAsync(new ConversationReference("telegram", "606", "606"),
            OutboundMessage.Plain("Giải **Cá nhân & Tập thể** cho đơn vị <100 người"), CancellationToken.None);
        outcome.Status.Should().Be(SendStatus.Sent);
        fake.SentTo(606)[^1].Text.Should().Be("Giải <b>Cá nhân &amp; Tập thể</b> cho đơn vị &lt;100 người");
    }

    [Fact]
    public async Task Long_answer_is_split_and_only_the_last_part_has_the_keyboard()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        var paragraphs = Enumerable.Range(1, 60).Select(i => $"Đoạn {i:00}: " + new string('a', 88)).ToList();
        var text = string.Join("\n\n", paragraphs);
        text.Length.Should().BeInRange(5900, 6100);

        var messenger = host.Services.GetRequiredService<IProactiveMessenger>();
        var outcome = await messenger.SendAsync(new ConversationReference("telegram", "707", "707"),
            new OutboundMessage { Text = text, Buttons = [ReplyButton.Action("Menu chính", "menu")] }, CancellationToken.None);

        outcome.Status.Should().Be(SendStatus.Sent);
        var sent = fake.SentTo(707);
        sent.Should().HaveCount(2);
        sent.Should().OnlyContain(s => s.Text.Length <= 4096);
        sent[0].Body["reply_markup"].Should().BeNull();
        sent[1].Buttons.Should().ContainSingle(b => b["callback_data"]!.GetValue<string>() == "menu");
        (sent[0].Text + "\n\n" + sent[1].Text).Should().Be(text);
        outcome.ChannelMessageId.Should().Be(sent.Count == 2 ? "1002" : null);
    }

    [Fact]
    public async Task Long_callback_payload_travels_through_the_callback_table()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        var longPayload = "menu:" + string.Concat(Enumerable.Repeat("cuộc-thi-cải-cách-hành-chính-", 4));
        Encoding.UTF8.GetByteCount(longPayload).Should().BeGreaterThan(64);

        var messenger = host.Services.GetRequiredService<IProactiveMessenger>();
        await messenger.SendAsync(new ConversationReference("telegram", "808", "808"),
            new OutboundMessage { Text = "Chọn:", Buttons = [ReplyButton.Action("Xem chi tiết", longPayload), ReplyButton.Action("Menu", "menu"), ReplyButton.Link("Cổng thông tin", "https://example.vn/")] },
            CancellationToken.None);
        var message = fake.SentTo(808).Single();
        var data = message.Buttons[0]["callback_data"]!.GetValue<string>();
        data.Should().StartWith("cb:");
        Encoding.UTF8.GetByteCount(data).Should().BeLessThanOrEqualTo(64);
        message.Buttons[1]["callback_data"]!.GetValue<string>().Should().Be("menu");
        message.Buttons[2]["url"]!.GetValue<string>().Should().Be("https://example.vn/");
        message.Body["reply_markup"]!["inline_keyboard"]!.AsArray()[0]!.AsArray().Should().HaveCount(2, "two buttons per row");

        fake.Enqueue(FakeBotApi.Callback(808, data, 1001, queryId: "q-long"));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(808).Count >= 2);
        await FakeBotApi.WaitUntilAsync(() => fake.CallsTo("answerCallbackQuery").Any(c => c.Body["callback_query_id"]!.GetValue<string>() == "q-long"));
        Scalar(host.DatabasePath, "SELECT value FROM transcript WHERE inbound = 1 AND conversation_key = 'telegram:808'").Should().Be(longPayload);
    }

    [Fact]
    public async Task Group_messages_need_a_command_mention_or_reply()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        const long group = -100123;
        var chatter = fake.Enqueue(FakeBotApi.TextMessage(group, "xin chào mọi người", userId: 11, chatType: "supergroup"));
        var otherBot = fake.Enqueue(FakeBotApi.TextMessage(group, "/help@OtherBot", userId: 11, chatType: "supergroup"));
        var command = fake.Enqueue(FakeBotApi.TextMessage(group, "/help@CcTestBot", userId: 11, chatType: "supergroup"));
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(group).Count >= 1 && fake.ConfirmedOffset > command);
        await WaitUntilSettledAsync(host);
        fake.SentTo(group).Should().HaveCount(1);
        var stored = Count(host.DatabasePath, "SELECT COUNT(*) FROM processed_activities WHERE channel = 'telegram' AND activity_id IN ($a, $b)",
            ("$a", chatter.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("$b", otherBot.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        stored.Should().Be(0, "messages not addressed to the bot are not stored");
        Scalar(host.DatabasePath, "SELECT reference FROM conversations WHERE conversation_key = $k", ("$k", $"telegram:{group}"))
            .Should().BeOfType<string>().Which.ToLowerInvariant().Should().Contain("\"isgroup\":true");
    }

    [Fact]
    public async Task Without_a_token_the_channel_is_off()
    {
        await using var host = await TestHost.StartAsync();
        host.Services.GetServices<IChannelSender>().Should().NotContain(s => s.Channel == "telegram");
        (await PostRawAsync(host, "{}", "x")).Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wrong_token_fails_start_up_naming_the_setting()
    {
        await using var fake = await FakeBotApi.StartAsync();
        fake.RejectToken = true;
        var act = () => StartAsync(fake);
        var error = await act.Should().ThrowAsync<Exception>();
        error.Which.ToString().Should().Contain("Telegram:BotToken");
    }

    [Fact]
    public async Task Webhook_mode_without_url_or_secret_fails_validation()
    {
        await using var fake = await FakeBotApi.StartAsync();
        var act = () => StartAsync(fake, extra: new Dictionary<string, string?> { ["Telegram:Mode"] = "webhook", ["Telegram:SecretToken"] = "bad secret!" });
        var error = await act.Should().ThrowAsync<Exception>();
        error.Which.ToString().Should().Contain("Telegram:WebhookUrl").And.Contain("Telegram:SecretToken");
    }

    [Fact]
    public async Task Stickers_get_a_hint_edits_are_read_and_a_new_group_gets_the_group_hint()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);

        var sticker = FakeBotApi.TextMessage(910, "x");
        sticker["message"]!.AsObject().Remove("text");
        sticker["message"]!["sticker"] = new JsonObject { ["file_id"] = "S1", ["width"] = 512, ["height"] = 512 };
        fake.Enqueue(sticker);
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(910).Count >= 1);
        fake.SentTo(910)[0].Text.Should().Contain("chỉ đọc được tin nhắn chữ");

        var edited = FakeBotApi.TextMessage(911, "/help");
        edited["edited_message"] = edited["message"]!.DeepClone();
        edited.Remove("message");
        fake.Enqueue(edited);
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(911).Count >= 1);
        Scalar(host.DatabasePath, "SELECT kind FROM transcript WHERE inbound = 1 AND conversation_key = 'telegram:911'").Should().Be("EditedMessage");

        fake.Enqueue(new JsonObject
        {
            ["my_chat_member"] = new JsonObject
            {
                ["chat"] = new JsonObject { ["id"] = -100912, ["type"] = "supergroup", ["title"] = "Nhóm thi" },
                ["from"] = FakeBotApi.User(12),
                ["date"] = 1_700_000_000,
                ["old_chat_member"] = new JsonObject { ["status"] = "left" },
                ["new_chat_member"] = new JsonObject { ["status"] = "member" },
            },
        });
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(-100912).Count >= 1);
        fake.SentTo(-100912)[0].Text.Should().Contain("@" + FakeBotApi.BotUsername);
    }

    [Fact]
    public async Task Sender_edits_in_place_and_follows_group_migration()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await StartAsync(fake);
        var sender = host.Services.GetServices<IChannelSender>().Single(s => s.Channel == "telegram");
        StoredOutbound Stored(OutboundMessage m) => new(1, "a1", m, DateTimeOffset.UtcNow);

        var edited = await sender.SendAsync(new ConversationReference("telegram", "909", "909"),
            Stored(new OutboundMessage { Text = "Đã cập nhật", ReplacesChannelMessageId = "1234", Buttons = [ReplyButton.Action("Menu", "menu")] }), CancellationToken.None);
        edited.Should().Be(SendOutcome.Ok("1234"));
        var edit = fake.CallsTo("editMessageText").Single();
        edit.Body["message_id"]!.GetValue<long>().Should().Be(1234);
        edit.Buttons.Should().ContainSingle();

        fake.UnmodifiedMessages.Add(1235);
        var same = await sender.SendAsync(new ConversationReference("telegram", "909", "909"),
            Stored(new OutboundMessage { Text = "Như cũ", ReplacesChannelMessageId = "1235" }), CancellationToken.None);
        same.Status.Should().Be(SendStatus.Sent, "\"message is not modified\" is success");

        fake.MigratedChats[-555] = -100555;
        var migrated = await sender.SendAsync(new ConversationReference("telegram", "-555", "11", IsGroup: true),
            Stored(OutboundMessage.Plain("Xin chào nhóm")), CancellationToken.None);
        migrated.Status.Should().Be(SendStatus.Sent);
        fake.SentTo(-100555).Should().ContainSingle(c => c.Text == "Xin chào nhóm");
    }

    [Fact]
    public async Task Webhook_waits_to_answer_while_the_pending_turns_are_at_their_limit()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await TestHost.StartAsync(Settings(fake, new Dictionary<string, string?>
        {
            ["Telegram:Mode"] = "webhook",
            ["Telegram:WebhookUrl"] = "https://bot.example.vn/telegram/webhook",
            ["Telegram:SecretToken"] = "s3cret",
            ["Telegram:MaxPendingTurns"] = "1",
        }), configure: b => b.Services.AddSingleton<ITurnHandler>(sp =>
            new HeldHandler(ActivatorUtilities.CreateInstance<CcBot.Core.Dialogs.Router>(sp), held.Task)));

        var first = FakeBotApi.TextMessage(301, "/help #giữ");
        first["update_id"] = 8001;
        (await PostAsync(host, first, "s3cret")).Should().Be(HttpStatusCode.OK, "stored, its turn held");
        var second = FakeBotApi.TextMessage(302, "/help");
        second["update_id"] = 8002;
        var post = PostAsync(host, second, "s3cret");
        (await Task.WhenAny(post, Task.Delay(TimeSpan.FromSeconds(1.5)))).Should().NotBeSameAs(post, "one turn is pending, the limit");
        Count(host.DatabasePath, "SELECT COUNT(*) FROM transcript WHERE inbound = 1 AND channel = 'telegram'").Should().Be(1, "the second update waits unstored");

        held.SetResult();
        (await post).Should().Be(HttpStatusCode.OK);
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(301).Count == 1 && fake.SentTo(302).Count == 1, because: "both are answered");
    }

    /// <summary>Holds turns whose text contains "#giữ" until released.</summary>
    private sealed class HeldHandler(ITurnHandler inner, Task release) : ITurnHandler
    {
        public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            if (turn.Activity.Text?.Contains("#giữ", StringComparison.Ordinal) == true)
            {
                await release.WaitAsync(cancellationToken);
            }

            await inner.HandleAsync(turn, cancellationToken);
        }
    }

    private static async Task<HttpStatusCode> PostAsync(TestHost host, JsonObject update, string? secret) =>
        await PostRawAsync(host, update.ToJsonString(), secret);

    private static async Task<HttpStatusCode> PostRawAsync(TestHost host, string body, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "telegram/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await host.Http.SendAsync(request);
        return response.StatusCode;
    }
}
