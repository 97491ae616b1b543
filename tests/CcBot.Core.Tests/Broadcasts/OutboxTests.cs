using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Outbox;
using CcBot.Core.Pipeline;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Tests.Reminders;
using CcBot.Core.Time;

namespace CcBot.Core.Tests.Broadcasts;

/// <summary>Broadcasts through the outbox: the same tests on SQLite and on PostgreSQL.</summary>
public abstract class OutboxTests(string provider)
{
    private static readonly DateTimeOffset Start = VietnamTime.At(2024, 12, 2, 9, 0);

    private static BroadcastDraft Draft(BroadcastAudience audience = BroadcastAudience.Everyone, string? value = null, DateTimeOffset? at = null) =>
        new("Hạn nộp bài được **gia hạn** đến 20/12/2024.", [ReplyButton.Link("Xem thông báo", "https://example.gov.vn/tb")], audience, value, at ?? Start, "btc");

    [Fact]
    public async Task Broadcast_reaches_its_audience_with_text_and_link_buttons()
    {
        var clock = new ManualClock(Start);
        var telegram = new FakeSender("telegram");
        await using var h = await ReminderHarness.CreateAsync(provider, [], clock, senders: [telegram]);
        await h.AddConversationAsync("telegram", "1", unit: "Sở Nội vụ");
        await h.AddConversationAsync("telegram", "2", unit: "Sở Tài chính");
        await h.AddConversationAsync("directline", "w1", unit: "Sở Nội vụ");
        await h.Store.SubscribeAsync("hai-duong-2024", "telegram:2", clock.GetUtcNow(), default);

        (await h.Broadcasts.CreateAsync(Draft(BroadcastAudience.Channel, "telegram"), default)).Recipients.Should().Be(2);
        (await h.Broadcasts.CreateAsync(Draft(BroadcastAudience.Unit, "SỞ NỘI VỤ "), default)).Recipients.Should().Be(2);
        (await h.Broadcasts.CreateAsync(Draft(BroadcastAudience.Contest, "hai-duong-2024"), default)).Recipients.Should().Be(1);
        var (id, all) = await h.Broadcasts.CreateAsync(Draft(), default);
        all.Should().Be(3);

        await h.DrainAsync();
        telegram.CountTo("1").Should().Be(3);
        telegram.CountTo("2").Should().Be(3);
        telegram.Sent[0].Text.Should().StartWith("📢 Thông báo từ Ban Tổ chức:").And.Contain("gia hạn");
        // Direct Line: the transcript row is the delivery.
        (await h.Conversations.ReadTranscriptAsync("directline:w1", 0, 10, default)).Count(e => !e.Inbound).Should().Be(2);

        var status = (await h.Broadcasts.StatusAsync(id, default))!.Value.Report;
        status.Should().BeEquivalentTo(new { Total = 3, Sent = 3, Pending = 0, Failed = 0 }, o => o.ExcludingMissingMembers());
    }

    [Fact]
    public async Task A_broadcast_to_a_channel_without_a_sender_is_reported_channel_off_not_sent()
    {
        var clock = new ManualClock(Start);
        await using var h = await ReminderHarness.CreateAsync(provider, [], clock, senders: []);
        await h.AddConversationAsync("telegram", "1");
        await h.AddConversationAsync("telegram", "2");
        await h.AddConversationAsync("directline", "w1");
        var (id, all) = await h.Broadcasts.CreateAsync(Draft(), default);
        all.Should().Be(3);

        await h.DrainAsync();

        var report = (await h.Broadcasts.StatusAsync(id, default))!.Value.Report;
        report.Should().BeEquivalentTo(new { Total = 3, Sent = 1, ChannelOff = 2, Pending = 0, Failed = 0 }, o => o.ExcludingMissingMembers(),
            "only the Direct Line user reads the transcript; Telegram has no token here");
        (await h.Conversations.ReadTranscriptAsync("telegram:1", 0, 10, default)).Should().NotContain(e => !e.Inbound, "nothing was delivered there");
    }

    [Fact]
    public async Task Transient_failures_retry_with_backoff_never_sooner_than_retry_after()
    {
        var clock = new ManualClock(Start);
        var telegram = new FakeSender("telegram");
        telegram.Scripted["1"] = new Queue<SendOutcome>([new SendOutcome(SendStatus.Retry, Error: "429 Too Many Requests", RetryAfter: TimeSpan.FromSeconds(30)), new SendOutcome(SendStatus.Retry, Error: "502")]);
        await using var h = await ReminderHarness.CreateAsync(provider, [], clock, senders: [telegram]);
        await h.AddConversationAsync("telegram", "1");
        var (id, _) = await h.Broadcasts.CreateAsync(Draft(), default);

        await h.DrainAsync();
        telegram.Sent.Should().BeEmpty();
        clock.Advance(TimeSpan.FromSeconds(29));
        await h.DrainAsync();
        telegram.Sent.Should().BeEmpty("Retry-After is 30 s");
        clock.Advance(TimeSpan.FromSeconds(1));
        await h.DrainAsync(); // second attempt: 502, backoff 2 s * 2^(2-1) = 4 s
        telegram.Sent.Should().BeEmpty();
        clock.Advance(TimeSpan.FromSeconds(3));
        await h.DrainAsync();
        telegram.Sent.Should().BeEmpty();
        clock.Advance(TimeSpan.FromSeconds(1));
        await h.DrainAsync();
        telegram.Sent.Should().ContainSingle();
        (await h.Broadcasts.StatusAsync(id, default))!.Value.Report.Sent.Should().Be(1);
    }

    [Fact]
    public async Task Blocked_users_are_marked_and_skipped_failures_are_reported_with_reasons()
    {
        var clock = new ManualClock(Start);
        var telegram = new FakeSender("telegram");
        telegram.Scripted["2"] = new Queue<SendOutcome>([new SendOutcome(SendStatus.Unreachable, Error: "Forbidden: bot was blocked by the user")]);
        telegram.Scripted["3"] = new Queue<SendOutcome>([new SendOutcome(SendStatus.Failed, Error: "400 Bad Request: chat not found")]);
        telegram.Scripted["4"] = new Queue<SendOutcome>(Enumerable.Repeat(new SendOutcome(SendStatus.Retry, Error: "timeout"), 10));
        await using var h = await ReminderHarness.CreateAsync(provider, [], clock, senders: [telegram], outbox: new OutboxOptions { MaxAttempts = 3, BaseBackoff = TimeSpan.FromSeconds(1) });
        foreach (var id in new[] { "1", "2", "3", "4" })
        {
            await h.AddConversationAsync("telegram", id);
        }

        var (b, _) = await h.Broadcasts.CreateAsync(Draft(), default);
        for (var i = 0; i < 5; i++)
        {
            await h.DrainAsync();
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var report = (await h.Broadcasts.StatusAsync(b, default))!.Value.Report;
        report.Sent.Should().Be(1);
        report.Blocked.Should().Be(1);
        report.Failed.Should().Be(2);
        report.FailureReasons.Select(r => r.Reason).Should().Contain(["Forbidden: bot was blocked by the user", "400 Bad Request: chat not found", "gave up after 3 attempts: timeout"]);
        h.Count("SELECT COUNT(*) FROM conversations WHERE unreachable_at IS NOT NULL").Should().Be(1);
        h.Count("SELECT COUNT(*) FROM users WHERE unreachable_at IS NOT NULL").Should().Be(1);

        (await h.Broadcasts.CreateAsync(Draft(), default)).Recipients.Should().Be(3, "the blocked user is skipped from now on");
    }

    [Fact]
    public async Task Cancel_stops_what_is_not_yet_sent_and_scheduled_broadcasts_wait_for_their_time()
    {
        var clock = new ManualClock(Start);
        var telegram = new FakeSender("telegram");
        await using var h = await ReminderHarness.CreateAsync(provider, [], clock, senders: [telegram], outbox: new OutboxOptions { ClaimBatch = 2 });
        for (var i = 1; i <= 5; i++)
        {
            await h.AddConversationAsync("telegram", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var (now, _) = await h.Broadcasts.CreateAsync(Draft(), default);
        var (later, _) = await h.Broadcasts.CreateAsync(Draft(at: Start.AddHours(2)), default);
        (await h.Worker.RunOnceAsync(default)).Should().Be(2);
        (await h.Broadcasts.CancelAsync(now, default)).Should().Be(3);
        await h.DrainAsync();
        telegram.Sent.Should().HaveCount(2, "the later broadcast is not due and the cancelled one stopped");
        var report = (await h.Broadcasts.StatusAsync(now, default))!.Value;
        report.Broadcast.Status.Should().Be(BroadcastStatus.Cancelled);
        report.Report.Should().BeEquivalentTo(new { Sent = 2, Cancelled = 3, Pending = 0 }, o => o.ExcludingMissingMembers());

        clock.Advance(TimeSpan.FromHours(2));
        await h.DrainAsync();
        telegram.Sent.Should().HaveCount(7);
        (await h.Broadcasts.ListAsync(10, default)).Select(b => b.Id).Should().Equal(later, now);
    }

    [Fact]
    public async Task Rows_left_claimed_by_a_dead_worker_are_sent_once_after_release()
    {
        var clock = new ManualClock(Start);
        var telegram = new FakeSender("telegram");
        await using var h = await ReminderHarness.CreateAsync(provider, [], clock, senders: [telegram]);
        await h.AddConversationAsync("telegram", "1");
        await h.AddConversationAsync("telegram", "2");
        await h.Broadcasts.CreateAsync(Draft(), default);
        (await h.Outbox.ClaimAsync("dead", 10, clock.GetUtcNow(), TimeSpan.FromMinutes(5), default)).Should().HaveCount(2);
        await h.DrainAsync();
        telegram.Sent.Should().BeEmpty("the lease holds");
        clock.Advance(TimeSpan.FromMinutes(6));
        await h.DrainAsync();
        telegram.Sent.Should().HaveCount(2, "an expired lease makes the row claimable again");
        await h.DrainAsync();
        telegram.Sent.Should().HaveCount(2);
    }
}

public sealed class OutboxTestsOnSqlite() : OutboxTests("sqlite");

public sealed class OutboxTestsOnPostgres() : OutboxTests("postgres");
