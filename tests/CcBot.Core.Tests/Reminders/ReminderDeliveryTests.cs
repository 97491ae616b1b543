using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Outbox;
using CcBot.Core.Pipeline;
using CcBot.Core.Reminders;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Time;

namespace CcBot.Core.Tests.Reminders;

/// <summary>Reminders delivered through the stores and the outbox: the same tests on SQLite and on PostgreSQL.</summary>
public abstract class ReminderDeliveryTests(string provider)
{
    // Opens 18/11/2024 07:30, submissions due 10/12/2024 17:00, closes 13/12/2024 16:30 (Vietnam time).
    private static readonly DateTimeOffset Opens = VietnamTime.At(2024, 11, 18, 7, 30);
    private static readonly DateTimeOffset Deadline = VietnamTime.At(2024, 12, 10, 17, 0);
    private static readonly DateTimeOffset Closes = VietnamTime.At(2024, 12, 13, 16, 30);

    private static Contest Contest(string id = "thu-2024") => ReminderHarness.MakeContest(id, Opens, Deadline, Closes);

    private static string KeyBefore(string milestone, DateTimeOffset at, TimeSpan offset) =>
        $"before:{milestone}:{VietnamTime.ToVietnam(at):yyyyMMddHHmm}:{(long)offset.TotalSeconds}s";

    [Fact]
    public async Task Reminder_fires_at_the_right_moment_with_the_exact_time_and_source()
    {
        var oneDay = KeyBefore("nop-bai", Deadline, TimeSpan.FromDays(1));
        var clock = new ManualClock(Deadline - TimeSpan.FromDays(1) - TimeSpan.FromMinutes(10));
        var sender = new FakeSender("telegram") { Clock = clock };
        await using var h = await ReminderHarness.CreateAsync(provider, [Contest()], clock, senders: [sender]);
        var user = await h.AddConversationAsync("telegram", "501");
        (await h.Store.SubscribeAsync("thu-2024", user.ConversationKey, clock.GetUtcNow(), default)).Should().BeTrue();

        (await h.Dispatcher.DispatchAsync("thu-2024", oneDay, default)).Status.Should().Be(ReminderDispatchStatus.NotDue);
        await h.DrainAsync();
        sender.Sent.Should().BeEmpty();

        clock.Advance(TimeSpan.FromMinutes(10));
        var result = await h.Dispatcher.DispatchAsync("thu-2024", oneDay, default);
        result.Status.Should().Be(ReminderDispatchStatus.Queued);
        result.Queued.Should().Be(1);
        await h.DrainAsync();
        sender.Sent.Should().ContainSingle();
        var text = sender.Sent[0].Text;
        text.Should().Contain("còn 1 ngày").And.Contain("Hạn nộp bài").And.Contain("17h00 ngày 10/12/2024").And.Contain("Công văn số 1587/CV-BTC");
    }

    [Fact]
    public async Task Each_user_receives_each_reminder_at_most_once()
    {
        var key = KeyBefore("nop-bai", Deadline, TimeSpan.FromDays(3));
        var clock = new ManualClock(Deadline - TimeSpan.FromDays(3));
        var sender = new FakeSender("telegram");
        await using var h = await ReminderHarness.CreateAsync(provider, [Contest()], clock, senders: [sender]);
        foreach (var id in new[] { "1", "2", "3" })
        {
            var c = await h.AddConversationAsync("telegram", id);
            await h.Store.SubscribeAsync("thu-2024", c.ConversationKey, clock.GetUtcNow(), default);
            await h.Store.SubscribeAsync("thu-2024", c.ConversationKey, clock.GetUtcNow(), default);
        }

        (await h.Dispatcher.DispatchAsync("thu-2024", key, default)).Queued.Should().Be(3);
        await h.DrainAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        (await h.Dispatcher.DispatchAsync("thu-2024", key, default)).Queued.Should().Be(0, "a second firing (misfire recovery, restart) adds nothing");
        await h.DrainAsync();
        sender.Sent.Should().HaveCount(3);
        sender.Sent.Select(s => s.Conversation).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Missed_while_down_is_sent_late_if_the_deadline_is_ahead_else_dropped()
    {
        var oneDay = KeyBefore("nop-bai", Deadline, TimeSpan.FromDays(1));
        var twoHours = KeyBefore("nop-bai", Deadline, TimeSpan.FromHours(2));
        var clock = new ManualClock(Deadline - TimeSpan.FromHours(1)); // host was down from before the 1-day reminder until 1 h before the deadline
        var sender = new FakeSender("telegram") { Clock = clock };
        await using var h = await ReminderHarness.CreateAsync(provider, [Contest()], clock, senders: [sender]);
        var user = await h.AddConversationAsync("telegram", "7");
        await h.Store.SubscribeAsync("thu-2024", user.ConversationKey, clock.GetUtcNow(), default);

        var late = await h.Dispatcher.DispatchAsync("thu-2024", oneDay, default);
        late.Status.Should().Be(ReminderDispatchStatus.Queued);
        (await h.Dispatcher.DispatchAsync("thu-2024", twoHours, default)).Status.Should().Be(ReminderDispatchStatus.Queued);
        await h.DrainAsync();
        sender.Sent.Should().HaveCount(2);
        sender.Sent.Should().OnlyContain(s => s.Text.Contains("còn 1 giờ"), "the remaining time is computed when it is sent");

        clock.Set(Deadline + TimeSpan.FromMinutes(1));
        var seven = KeyBefore("nop-bai", Deadline, TimeSpan.FromDays(7));
        (await h.Dispatcher.DispatchAsync("thu-2024", seven, default)).Status.Should().Be(ReminderDispatchStatus.Dropped);
        await h.DrainAsync();
        sender.Sent.Should().HaveCount(2);
    }

    [Fact]
    public async Task Quiet_hours_delay_non_urgent_reminders_to_the_morning_and_urgent_ones_go_now()
    {
        // Deadline at 23:30: the 1-day reminder fires at 23:30 the day before (quiet) -> 06:30; the 2-hour one at 21:30 (not quiet).
        var deadline = VietnamTime.At(2024, 12, 10, 23, 30);
        var contest = ReminderHarness.MakeContest("dem", Opens, deadline, Closes);
        var clock = new ManualClock(deadline - TimeSpan.FromDays(1));
        var sender = new FakeSender("telegram") { Clock = clock };
        await using var h = await ReminderHarness.CreateAsync(provider, [contest], clock, new ReminderOptions { Offsets = [TimeSpan.FromDays(1), TimeSpan.FromMinutes(20)] }, [sender]);
        var user = await h.AddConversationAsync("telegram", "9");
        await h.Store.SubscribeAsync("dem", user.ConversationKey, clock.GetUtcNow(), default);

        var result = await h.Dispatcher.DispatchAsync("dem", KeyBefore("nop-bai", deadline, TimeSpan.FromDays(1)), default);
        result.Status.Should().Be(ReminderDispatchStatus.Deferred);
        result.SendAt.Should().Be(VietnamTime.At(2024, 12, 10, 6, 30));
        await h.DrainAsync();
        sender.Sent.Should().BeEmpty("it is night");
        clock.Set(VietnamTime.At(2024, 12, 10, 6, 29));
        await h.DrainAsync();
        sender.Sent.Should().BeEmpty();
        clock.Set(VietnamTime.At(2024, 12, 10, 6, 30));
        await h.DrainAsync();
        sender.Sent.Should().ContainSingle().Which.Text.Should().Contain("còn 17 giờ");

        // 20 minutes before a 23:30 deadline is 23:10, inside the quiet hours, but the deadline passes before morning: urgent.
        clock.Set(deadline - TimeSpan.FromMinutes(20));
        var urgent = await h.Dispatcher.DispatchAsync("dem", KeyBefore("nop-bai", deadline, TimeSpan.FromMinutes(20)), default);
        urgent.Status.Should().Be(ReminderDispatchStatus.Queued);
        await h.DrainAsync();
        sender.Sent.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_deferred_reminder_whose_deadline_passes_expires_instead_of_going_out()
    {
        var clock = new ManualClock(Deadline - TimeSpan.FromDays(1));
        var sender = new FakeSender("telegram");
        await using var h = await ReminderHarness.CreateAsync(provider, [Contest()], clock, senders: [sender]);
        var user = await h.AddConversationAsync("telegram", "11");
        await h.Outbox.EnqueueAsync([new OutboxRequest("k1", ReminderDispatcher.Source, "x", user, OutboundMessage.Plain("nhắc"), clock.GetUtcNow().AddHours(2), clock.GetUtcNow().AddHours(1))], clock.GetUtcNow(), default);
        clock.Advance(TimeSpan.FromHours(3));
        await h.DrainAsync();
        sender.Sent.Should().BeEmpty();
        h.Count("SELECT COUNT(*) FROM outbox WHERE status = 'expired'").Should().Be(1);
    }

    [Fact]
    public async Task Subscribe_and_unsubscribe_actions()
    {
        var clock = new ManualClock(Opens.AddDays(1));
        await using var h = await ReminderHarness.CreateAsync(provider, [Contest()], clock);
        var other = ReminderHarness.MakeContest("khac-2024", Opens, Deadline, Closes);
        var single = new ReminderActions(h.Catalog, new ContestContext(h.Catalog, new ContestResolver(h.Catalog.Contests)), h.Store, h.Texts, Microsoft.Extensions.Options.Options.Create(h.Options));
        var user = await h.AddConversationAsync("telegram", "21");

        var turn = Turn(user, clock);
        await single.ExecuteAsync(turn, "subscribe", null, default);
        turn.Replies.Should().ContainSingle().Which.Text.Should().Contain("Đã bật nhắc hạn").And.Contain("Lần nhắc tiếp theo");
        turn.Replies[0].Buttons.Select(b => b.Value).Should().Contain("unsubscribe:thu-2024");
        (await h.Store.SubscriptionsAsync(user.ConversationKey, default)).Should().Equal("thu-2024");

        turn = Turn(user, clock);
        await single.ExecuteAsync(turn, "unsubscribe", "thu-2024", default);
        turn.Replies[0].Text.Should().Contain("Đã hủy nhắc hạn");
        (await h.Store.SubscriptionsAsync(user.ConversationKey, default)).Should().BeEmpty();

        turn = Turn(user, clock);
        await single.ExecuteAsync(turn, "unsubscribe", null, default);
        turn.Replies[0].Text.Should().Contain("chưa đăng ký");

        var two = new ContestCatalog([Contest(), other]);
        var many = new ReminderActions(two, new ContestContext(two, new ContestResolver(two.Contests)), h.Store, h.Texts, Microsoft.Extensions.Options.Options.Create(h.Options));
        turn = Turn(user, clock);
        await many.ExecuteAsync(turn, "subscribe", null, default);
        turn.Replies[0].Buttons.Select(b => b.Value).Should().BeEquivalentTo(["subscribe:thu-2024", "subscribe:khac-2024"]);
        (await h.Store.SubscriptionsAsync(user.ConversationKey, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Unreachable_subscribers_are_not_reminded()
    {
        var clock = new ManualClock(Opens);
        await using var h = await ReminderHarness.CreateAsync(provider, [Contest()], clock);
        var a = await h.AddConversationAsync("telegram", "31");
        var b = await h.AddConversationAsync("telegram", "32");
        await h.Store.SubscribeAsync("thu-2024", a.ConversationKey, clock.GetUtcNow(), default);
        await h.Store.SubscribeAsync("thu-2024", b.ConversationKey, clock.GetUtcNow(), default);
        await h.ExecuteAsync("UPDATE conversations SET unreachable_at = '2024-01-01T00:00:00.0000000Z' WHERE conversation_key = 'telegram:32'");
        (await h.Store.SubscribersAsync("thu-2024", default)).Select(r => r.ConversationKey).Should().Equal("telegram:31");
    }

    [Fact]
    public async Task Store_keeps_schedule_fingerprints_and_removes_every_subscription_of_a_conversation()
    {
        var clock = new ManualClock(Opens);
        await using var h = await ReminderHarness.CreateAsync(provider, [Contest()], clock);
        (await h.Store.FingerprintsAsync(default)).Should().BeEmpty();
        await h.Store.SetFingerprintAsync("thu-2024", "a", clock.GetUtcNow(), default);
        await h.Store.SetFingerprintAsync("khac-2024", "b", clock.GetUtcNow(), default);
        await h.Store.SetFingerprintAsync("thu-2024", "c", clock.GetUtcNow(), default);
        await h.Store.SetFingerprintAsync("khac-2024", null, clock.GetUtcNow(), default);
        (await h.Store.FingerprintsAsync(default)).Should().BeEquivalentTo(new Dictionary<string, string> { ["thu-2024"] = "c" });

        var user = await h.AddConversationAsync("telegram", "41");
        (await h.Store.SubscribeAsync("thu-2024", user.ConversationKey, clock.GetUtcNow(), default)).Should().BeTrue();
        (await h.Store.SubscribeAsync("thu-2024", user.ConversationKey, clock.GetUtcNow(), default)).Should().BeFalse();
        (await h.Store.SubscribeAsync("khac-2024", user.ConversationKey, clock.GetUtcNow(), default)).Should().BeTrue();
        (await h.Store.SubscriptionsAsync(user.ConversationKey, default)).Should().Equal("khac-2024", "thu-2024");
        (await h.Store.SubscribersAsync("thu-2024", default)).Should().ContainSingle().Which.Should().Be(user);
        (await h.Store.UnsubscribeAsync(null, user.ConversationKey, default)).Should().BeEquivalentTo(["khac-2024", "thu-2024"]);
        (await h.Store.SubscriptionsAsync(user.ConversationKey, default)).Should().BeEmpty();
    }

    private static TurnContext Turn(ConversationReference from, TimeProvider clock) => new(
        new InboundActivity { Channel = from.Channel, Id = Guid.NewGuid().ToString("N"), Kind = ActivityKind.Message, From = from, Text = "nhắc tôi", Timestamp = clock.GetUtcNow() },
        new ConversationState(),
        new UserProfile { Channel = from.Channel, ChannelUserId = from.UserId },
        clock.GetUtcNow());
}

public sealed class ReminderDeliveryTestsOnSqlite() : ReminderDeliveryTests("sqlite");

public sealed class ReminderDeliveryTestsOnPostgres() : ReminderDeliveryTests("postgres");
