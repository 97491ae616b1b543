using Stopwatch = System.Diagnostics.Stopwatch;
using CcBot.Core.Activities;
using CcBot.Core.Channels.Telegram;

namespace CcBot.Host.Tests.Telegram;

public sealed class TelegramRateLimiterTests
{
    [Fact]
    public async Task Global_rate_allows_a_burst_then_spaces_sends()
    {
        var limiter = new TelegramRateLimiter(20, TimeSpan.Zero, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var stamps = new List<TimeSpan>();
        for (var i = 0; i < 30; i++)
        {
            await limiter.WaitAsync(i, CancellationToken.None); // 30 different chats: only the global limit applies
            stamps.Add(clock.Elapsed);
        }

        stamps[19].Should().BeLessThan(TimeSpan.FromMilliseconds(300), "one second's worth is a burst");
        stamps[29].Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(495), "then 20/s = one every 50 ms: the 30th send is 10 slots later");
        stamps[29].Should().BeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Per_chat_interval_spaces_one_chat_but_not_the_others()
    {
        var limiter = new TelegramRateLimiter(1000, TimeSpan.FromMilliseconds(200), TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var stamps = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            await limiter.WaitAsync(7, CancellationToken.None);
            stamps.Add(clock.Elapsed);
        }

        for (var i = 1; i < stamps.Count; i++)
        {
            // Slots are 200 ms apart; the gap between two wake-ups can be shorter when the earlier one woke late, so
            // each wake-up is checked against its own slot.
            stamps[i].Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200 * i - 20), "not before its slot (timer granularity aside)");
        }

        var before = clock.Elapsed;
        await limiter.WaitAsync(8, CancellationToken.None);
        (clock.Elapsed - before).Should().BeLessThan(TimeSpan.FromMilliseconds(100), "another chat is not held back");
        stamps[^1].Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Reservations_combine_both_limits()
    {
        var limiter = new TelegramRateLimiter(2, TimeSpan.FromSeconds(1), TimeProvider.System, burst: 1);
        limiter.Reserve(1).Should().BeLessThanOrEqualTo(TimeSpan.Zero);
        limiter.Reserve(2).Should().BeCloseTo(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50));
        limiter.Reserve(1).Should().BeCloseTo(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
    }
}

public sealed class TelegramHtmlTests
{
    [Fact]
    public void Escapes_the_reserved_characters() =>
        TelegramHtml.Escape("a<b & c>d").Should().Be("a&lt;b &amp; c&gt;d");

    [Fact]
    public void Converts_bold_after_escaping() =>
        TelegramHtml.Render("**Hạn <cuối>** & \"nộp\"\nbài").Should().Be("<b>Hạn &lt;cuối&gt;</b> &amp; \"nộp\"\nbài");

    [Fact]
    public void Hard_split_never_cuts_a_tag_or_entity_and_rebalances_bold()
    {
        var html = TelegramHtml.Render("**" + string.Concat(Enumerable.Repeat("x&y", 3000)) + "**");
        var parts = TelegramHtml.Split(html);
        parts.Should().HaveCountGreaterThan(1);
        foreach (var p in parts)
        {
            p.Length.Should().BeLessThanOrEqualTo(4096);
            p.Should().StartWith("<b>").And.EndWith("</b>");
            System.Text.RegularExpressions.Regex.IsMatch(p, "&(?!amp;)").Should().BeFalse("no entity is cut");
        }
    }

    [Fact]
    public void Splits_on_lines_when_a_paragraph_is_too_long()
    {
        var text = string.Join("\n", Enumerable.Range(0, 100).Select(i => new string('b', 60)));
        var parts = TelegramHtml.Split(text);
        parts.Should().HaveCount(2);
        parts.Should().OnlyContain(p => p.Split('\n').All(l => l.Length == 60));
    }
}

public sealed class TelegramUpdateMapperTests
{
    private static readonly TelegramBotIdentity Bot = Identity();

    private static TelegramBotIdentity Identity()
    {
        var b = new TelegramBotIdentity();
        b.Set(999, "CcTestBot");
        return b;
    }

    private static TgUpdate Group(string text, List<TgMessageEntity>? entities = null, TgMessage? replyTo = null) => new()
    {
        UpdateId = 5,
        Message = new TgMessage
        {
            MessageId = 3, From = new TgUser { Id = 11, FirstName = "Minh" }, Chat = new TgChat { Id = -100, Type = "supergroup" },
            Date = 1_700_000_000, Text = text, Entities = entities, ReplyToMessage = replyTo,
        },
    };

    [Fact]
    public void Group_mention_is_stripped()
    {
        var a = TelegramUpdateMapper.Map(Group("@CcTestBot hạn nộp bài?", [new TgMessageEntity { Type = "mention", Offset = 0, Length = 10 }]), null, Bot, DateTimeOffset.UnixEpoch);
        a!.Text.Should().Be("hạn nộp bài?");
        a.From.IsGroup.Should().BeTrue();
        a.From.ConversationId.Should().Be("-100");
        a.From.UserId.Should().Be("11");
    }

    [Fact]
    public void Group_reply_to_the_bot_is_for_the_bot_and_plain_chatter_is_not()
    {
        var reply = new TgMessage { MessageId = 2, From = new TgUser { Id = 999, IsBot = true, FirstName = "CcBot" }, Chat = new TgChat { Id = -100, Type = "supergroup" } };
        TelegramUpdateMapper.Map(Group("cảm ơn", replyTo: reply), null, Bot, DateTimeOffset.UnixEpoch).Should().NotBeNull();
        TelegramUpdateMapper.Map(Group("cảm ơn"), null, Bot, DateTimeOffset.UnixEpoch).Should().BeNull();
        TelegramUpdateMapper.Map(Group("/menu@OtherBot"), null, Bot, DateTimeOffset.UnixEpoch).Should().BeNull();
        TelegramUpdateMapper.Map(Group("/menu@cctestbot"), null, Bot, DateTimeOffset.UnixEpoch)!.Text.Should().Be("/menu@cctestbot");
    }

    [Fact]
    public void Edited_message_and_documents()
    {
        var edited = new TgUpdate
        {
            UpdateId = 6,
            EditedMessage = new TgMessage { MessageId = 4, From = new TgUser { Id = 1, FirstName = "A" }, Chat = new TgChat { Id = 1 }, Text = "/help" },
        };
        var a = TelegramUpdateMapper.Map(edited, null, Bot, DateTimeOffset.UnixEpoch)!;
        a.Kind.Should().Be(ActivityKind.EditedMessage);
        a.Properties["edited"].Should().Be("true");

        var doc = new TgUpdate
        {
            UpdateId = 7,
            Message = new TgMessage
            {
                MessageId = 5, From = new TgUser { Id = 1, FirstName = "A" }, Chat = new TgChat { Id = 1 },
                Document = new TgDocument { FileId = "F1", FileName = "bai-du-thi.docx", MimeType = "application/msword", FileSize = 10 },
            },
        };
        var d = TelegramUpdateMapper.Map(doc, null, Bot, DateTimeOffset.UnixEpoch)!;
        d.Kind.Should().Be(ActivityKind.Message, "a file is a message with an attachment (a contest entry)");
        d.Text.Should().BeNull();
        d.Attachments.Should().ContainSingle(x => x.Name == "bai-du-thi.docx" && x.Url == "telegram-file:F1");
    }

    [Fact]
    public void Photo_with_a_caption_is_a_message_with_the_caption_as_text_and_a_group_caption_mention_addresses_the_bot()
    {
        var photo = new TgUpdate
        {
            UpdateId = 8,
            Message = new TgMessage
            {
                MessageId = 6, From = new TgUser { Id = 1, FirstName = "A" }, Chat = new TgChat { Id = 1, Type = "private" },
                Caption = "ảnh bài dự thi", Photo = [new TgPhotoSize { FileId = "small", FileSize = 1 }, new TgPhotoSize { FileId = "large", FileSize = 9 }],
            },
        };
        var p = TelegramUpdateMapper.Map(photo, null, Bot, DateTimeOffset.UnixEpoch)!;
        p.Kind.Should().Be(ActivityKind.Message);
        p.Text.Should().Be("ảnh bài dự thi");
        p.Attachments.Should().ContainSingle(x => x.Url == "telegram-file:large");

        var caption = "@" + Bot.Username + " bài của tôi";
        var group = new TgUpdate
        {
            UpdateId = 9,
            Message = new TgMessage
            {
                MessageId = 7, From = new TgUser { Id = 2, FirstName = "B" }, Chat = new TgChat { Id = -5, Type = "group" },
                Caption = caption, CaptionEntities = [new TgMessageEntity { Type = "mention", Offset = 0, Length = Bot.Username!.Length + 1 }],
                Document = new TgDocument { FileId = "F2", FileName = "bai.pdf", MimeType = "application/pdf", FileSize = 10 },
            },
        };
        var g = TelegramUpdateMapper.Map(group, null, Bot, DateTimeOffset.UnixEpoch)!;
        g.Text.Should().Be("bài của tôi", "the mention in the caption is stripped");
        g.Attachments.Should().ContainSingle(x => x.Url == "telegram-file:F2");
    }

    [Fact]
    public void Options_validation_names_each_setting()
    {
        new TelegramOptions { BotToken = "1:a", Mode = "push" }.Validate().Should().ContainSingle(e => e.Contains("Telegram:Mode"));
        new TelegramOptions { BotToken = "1:a", Mode = "webhook" }.Validate().Should().HaveCount(2);
        new TelegramOptions { BotToken = "1:a", SecretToken = new string('a', 257) }.Validate().Should().ContainSingle(e => e.Contains("Telegram:SecretToken"));
        new TelegramOptions { BotToken = "", Mode = "nonsense" }.Validate().Should().BeEmpty("the channel is off");
    }
}

public sealed class TelegramApiClientTests
{
    [Fact]
    public async Task Errors_carry_code_retry_after_and_migration()
    {
        await using var fake = await FakeBotApi.StartAsync();
        using var http = new HttpClient();
        var client = new TelegramApiClient(http, Microsoft.Extensions.Options.Options.Create(new TelegramOptions { BotToken = FakeBotApi.Token, ApiBaseUrl = fake.BaseUrl }));

        (await client.GetMeAsync(CancellationToken.None)).Username.Should().Be(FakeBotApi.BotUsername);

        fake.Throttle("sendMessage", 34);
        var throttled = await FluentActions.Awaiting(() => client.SendMessageAsync(new TgSendMessageRequest { ChatId = 1, Text = "x" }, CancellationToken.None))
            .Should().ThrowAsync<TelegramApiException>();
        throttled.Which.ErrorCode.Should().Be(429);
        throttled.Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(34));
        throttled.Which.IsTransient.Should().BeTrue();

        fake.MigratedChats[-5] = -1005;
        var migrated = await FluentActions.Awaiting(() => client.SendMessageAsync(new TgSendMessageRequest { ChatId = -5, Text = "x" }, CancellationToken.None))
            .Should().ThrowAsync<TelegramApiException>();
        migrated.Which.MigrateToChatId.Should().Be(-1005);

        var sent = await client.SendMessageAsync(new TgSendMessageRequest { ChatId = 7, Text = "a" }, CancellationToken.None);
        sent.MessageId.Should().BeGreaterThan(0);
        fake.CallsTo("sendMessage")[^1].Body["chat_id"]!.GetValue<long>().Should().Be(7);
        fake.CallsTo("sendMessage")[^1].Body.ContainsKey("reply_markup").Should().BeFalse("nulls are not sent");
    }
}
