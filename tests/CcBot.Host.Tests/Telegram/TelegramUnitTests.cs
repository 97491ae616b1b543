using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
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
        var limiter = new TelegramRateLimiter(2, TimeSpan.FromSeconds(1), new CcBot.Host.Tests.Infrastructure.ManualClock(DateTimeOffset.UnixEpoch), burst: 1); // a still clock: the reservations, not the machine's speed
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

    private static Update Group(string text, MessageEntity[]? entities = null, Message? replyTo = null) => new()
    {
        Id = 5,
        Message = new Message
        {
            Id = 3, From = new User { Id = 11, FirstName = "Minh" }, Chat = new Chat { Id = -100, Type = ChatType.Supergroup },
            Date = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime, Text = text, Entities = entities, ReplyToMessage = replyTo,
        },
    };

    [Fact]
    public void Group_mention_is_stripped()
    {
        var a = TelegramUpdateMapper.Map(Group("@CcTestBot hạn nộp bài?", [new MessageEntity { Type = MessageEntityType.Mention, Offset = 0, Length = 10 }]), null, Bot, DateTimeOffset.UnixEpoch);
        a!.Text.Should().Be("hạn nộp bài?");
        a.From.IsGroup.Should().BeTrue();
        a.From.ConversationId.Should().Be("-100");
        a.From.UserId.Should().Be("11");
    }

    [Fact]
    public void Group_reply_to_the_bot_is_for_the_bot_and_plain_chatter_is_not()
    {
        var reply = new Message { Id = 2, From = new User { Id = 999, IsBot = true, FirstName = "CcBot" }, Chat = new Chat { Id = -100, Type = ChatType.Supergroup } };
        TelegramUpdateMapper.Map(Group("cảm ơn", replyTo: reply), null, Bot, DateTimeOffset.UnixEpoch).Should().NotBeNull();
        TelegramUpdateMapper.Map(Group("cảm ơn"), null, Bot, DateTimeOffset.UnixEpoch).Should().BeNull();
        TelegramUpdateMapper.Map(Group("/menu@OtherBot"), null, Bot, DateTimeOffset.UnixEpoch).Should().BeNull();
        TelegramUpdateMapper.Map(Group("/menu@cctestbot"), null, Bot, DateTimeOffset.UnixEpoch)!.Text.Should().Be("/menu@cctestbot");
    }

    [Fact]
    public void Edited_message_and_documents()
    {
        var edited = new Update
        {
            Id = 6,
            EditedMessage = new Message { Id = 4, From = new User { Id = 1, FirstName = "A" }, Chat = new Chat { Id = 1, Type = ChatType.Private }, Text = "/help" },
        };
        var a = TelegramUpdateMapper.Map(edited, null, Bot, DateTimeOffset.UnixEpoch)!;
        a.Kind.Should().Be(ActivityKind.EditedMessage);
        a.Properties["edited"].Should().Be("true");

        var doc = new Update
        {
            Id = 7,
            Message = new Message
            {
                Id = 5, From = new User { Id = 1, FirstName = "A" }, Chat = new Chat { Id = 1, Type = ChatType.Private },
                Document = new Document { FileId = "F1", FileUniqueId = "uF1", FileName = "bai-du-thi.docx", MimeType = "application/msword", FileSize = 10 },
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
        var photo = new Update
        {
            Id = 8,
            Message = new Message
            {
                Id = 6, From = new User { Id = 1, FirstName = "A" }, Chat = new Chat { Id = 1, Type = ChatType.Private },
                Caption = "ảnh bài dự thi", Photo = [new PhotoSize { FileId = "small", FileUniqueId = "us", FileSize = 1 }, new PhotoSize { FileId = "large", FileUniqueId = "ul", FileSize = 9 }],
            },
        };
        var p = TelegramUpdateMapper.Map(photo, null, Bot, DateTimeOffset.UnixEpoch)!;
        p.Kind.Should().Be(ActivityKind.Message);
        p.Text.Should().Be("ảnh bài dự thi");
        p.Attachments.Should().ContainSingle(x => x.Url == "telegram-file:large");

        var caption = "@" + Bot.Username + " bài của tôi";
        var group = new Update
        {
            Id = 9,
            Message = new Message
            {
                Id = 7, From = new User { Id = 2, FirstName = "B" }, Chat = new Chat { Id = -5, Type = ChatType.Group },
                Caption = caption, CaptionEntities = [new MessageEntity { Type = MessageEntityType.Mention, Offset = 0, Length = Bot.Username!.Length + 1 }],
                Document = new Document { FileId = "F2", FileUniqueId = "uF2", FileName = "bai.pdf", MimeType = "application/pdf", FileSize = 10 },
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

    [Theory]
    [InlineData("https://bot.example.vn/telegram/webhook", true)]
    [InlineData("http://127.0.0.1:8443/telegram/webhook", true)]
    [InlineData("http://localhost:8443/telegram/webhook", true)]
    [InlineData("http://[::1]:8443/telegram/webhook", true)]
    [InlineData("http://bot.example.vn/telegram/webhook", false)]
    [InlineData("http://10.0.0.5/telegram/webhook", false)]
    [InlineData("ftp://bot.example.vn/telegram/webhook", false)]
    [InlineData("/telegram/webhook", false)]
    public void Webhook_address_is_https_or_plain_http_on_loopback_only(string url, bool accepted)
    {
        var errors = new TelegramOptions { BotToken = "1:a", Mode = "webhook", WebhookUrl = url, SecretToken = "s3cret" }.Validate();
        if (accepted)
        {
            errors.Should().BeEmpty();
        }
        else
        {
            errors.Should().ContainSingle(e => e.Contains("Telegram:WebhookUrl"));
        }
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
        var throttled = await FluentActions.Awaiting(() => client.SendMessageAsync(1, "x", null, CancellationToken.None))
            .Should().ThrowAsync<ApiRequestException>();
        throttled.Which.ErrorCode.Should().Be(429);
        throttled.Which.RetryAfter().Should().Be(TimeSpan.FromSeconds(34), "the library's own retries are off: the sender decides");
        throttled.Which.IsTransient().Should().BeTrue();
        fake.CallsTo("sendMessage").Should().HaveCount(1);

        fake.MigratedChats[-5] = -1005;
        var migrated = await FluentActions.Awaiting(() => client.SendMessageAsync(-5, "x", null, CancellationToken.None))
            .Should().ThrowAsync<ApiRequestException>();
        migrated.Which.Parameters!.MigrateToChatId.Should().Be(-1005);

        var sent = await client.SendMessageAsync(7, "a", null, CancellationToken.None);
        sent.Id.Should().BeGreaterThan(0);
        fake.CallsTo("sendMessage")[^1].Body["chat_id"]!.GetValue<long>().Should().Be(7);
        fake.CallsTo("sendMessage")[^1].Body.ContainsKey("reply_markup").Should().BeFalse("nulls are not sent");
    }
}
