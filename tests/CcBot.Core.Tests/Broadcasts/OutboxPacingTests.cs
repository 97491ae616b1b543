using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Outbox;
using CcBot.Core.Pipeline;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Tests.Reminders;
using CcBot.Core.Time;

namespace CcBot.Core.Tests.Broadcasts;

public sealed class OutboxPacingTests
{
    private static readonly DateTimeOffset Start = VietnamTime.At(2024, 12, 2, 9, 0);

    private static BroadcastDraft Draft(BroadcastAudience audience = BroadcastAudience.Everyone, string? value = null, DateTimeOffset? at = null) =>
        new("Hạn nộp bài được **gia hạn** đến 20/12/2024.", [ReplyButton.Link("Xem thông báo", "https://example.gov.vn/tb")], audience, value, at ?? Start, "btc");

    [Fact]
    public void Broadcast_drafts_are_validated()
    {
        BroadcastService.Validate(Draft() with { Text = " " }).Should().ContainSingle();
        BroadcastService.Validate(Draft(BroadcastAudience.Unit)).Should().ContainSingle();
        BroadcastService.Validate(Draft() with { Links = [ReplyButton.Link("x", "javascript:alert(1)")] }).Should().ContainSingle();
        BroadcastService.Validate(Draft()).Should().BeEmpty();
    }

    [Fact]
    public void Teams_pacing_keeps_every_per_conversation_window()
    {
        var clock = new ManualClock(Start);
        var pacing = new TeamsConversationPacing(clock);
        var times = Enumerable.Range(0, 200).Select(_ => Start + pacing.Reserve("msteams:a")).ToList();
        pacing.Reserve("msteams:b").Should().Be(TimeSpan.Zero, "limits are per conversation");

        int MaxIn(TimeSpan window) => times.Max(t => times.Count(u => u >= t && u < t + window));
        MaxIn(TimeSpan.FromSeconds(1)).Should().BeLessThanOrEqualTo(7);
        MaxIn(TimeSpan.FromSeconds(2)).Should().BeLessThanOrEqualTo(8);
        MaxIn(TimeSpan.FromSeconds(30)).Should().BeLessThanOrEqualTo(60);
        times.Take(7).Should().OnlyContain(t => t == Start);
        (times[60] - Start).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30));
        (times[199] - Start).Should().BeLessThan(TimeSpan.FromSeconds(120), "no slower than 60 per 30 s allows");
    }

    [Fact]
    public void Teams_pacing_keeps_the_hourly_limit()
    {
        var clock = new ManualClock(Start);
        var pacing = new SlidingWindowPacing(["msteams"], [new RateWindow(60, TimeSpan.FromSeconds(30)), new RateWindow(1800, TimeSpan.FromHours(1))], clock);
        var times = Enumerable.Range(0, 1801).Select(_ => Start + pacing.Reserve("c")).ToList();
        (times[1800] - times[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromHours(1));
    }
}
