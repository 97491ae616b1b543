using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Outbox;
using CcBot.Core.Storage.Postgres;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Tests.Reminders;
using CcBot.Core.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace CcBot.Core.Tests.Broadcasts;

/// <summary>Several instances on one PostgreSQL outbox: each instance is its own database pool and store object.</summary>
public sealed class SharedOutboxTests
{
    private static readonly DateTimeOffset Start = VietnamTime.At(2024, 12, 2, 9, 0);

    [Fact]
    public async Task Concurrent_claims_of_two_instances_are_disjoint_and_cover_every_row()
    {
        var clock = new ManualClock(Start);
        await using var h = await ReminderHarness.CreateAsync("postgres", [], clock);
        await using var other = new PostgresDatabase(h.Backend.ConnectionString, NullLogger<PostgresDatabase>.Instance);
        IOutboxStore[] stores = [h.Outbox, new PostgresOutboxStore(other)];
        var requests = Enumerable.Range(0, 400).Select(i => new OutboxRequest(
            "k" + i, "test", "1", new ConversationReference("telegram", i.ToString(CultureInfo.InvariantCulture), "u" + i), OutboundMessage.Plain("x"), Start)).ToList();
        (await h.Outbox.EnqueueAsync(requests, Start, default)).Should().Be(400);
        (await stores[1].EnqueueAsync(requests, Start, default)).Should().Be(0, "dedupe keys make enqueueing idempotent");

        var claimed = new ConcurrentBag<(string Worker, long Id)>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var worker = "w" + w;
            while (true)
            {
                var items = await stores[w % 2].ClaimAsync(worker, 7, Start, TimeSpan.FromMinutes(5), default);
                if (items.Count == 0)
                {
                    return;
                }

                foreach (var item in items)
                {
                    claimed.Add((worker, item.Id));
                }
            }
        })));

        claimed.Select(c => c.Id).Should().OnlyHaveUniqueItems().And.HaveCount(400);
        claimed.Select(c => c.Worker).Distinct().Should().HaveCountGreaterThan(1, "the workers shared the rows");
        h.Count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'").Should().Be(400);
    }

    [Fact]
    public async Task Two_instances_deliver_a_broadcast_to_every_recipient_exactly_once()
    {
        var clock = new ManualClock(Start);
        var telegram = new FakeSender("telegram");
        await using var h = await ReminderHarness.CreateAsync("postgres", [], clock, senders: [telegram], outbox: new OutboxOptions { ClaimBatch = 9 });
        for (var i = 0; i < 150; i++)
        {
            await h.AddConversationAsync("telegram", i.ToString(CultureInfo.InvariantCulture));
        }

        await using var other = new PostgresDatabase(h.Backend.ConnectionString, NullLogger<PostgresDatabase>.Instance);
        OutboxWorker[] workers = [h.Worker, h.NewWorker(new PostgresOutboxStore(other))];
        var (id, recipients) = await h.Broadcasts.CreateAsync(
            new BroadcastDraft("Thông báo chung", [], BroadcastAudience.Everyone, null, Start, "btc"), default);
        recipients.Should().Be(150);

        var processed = await Task.WhenAll(workers.Select(w => Task.Run(async () =>
        {
            var total = 0;
            int n;
            while ((n = await w.RunOnceAsync(default)) > 0)
            {
                total += n;
            }

            return total;
        })));

        processed.Sum().Should().Be(150);
        telegram.Sent.Should().HaveCount(150);
        telegram.Sent.Select(s => s.Conversation).Should().OnlyHaveUniqueItems();
        (await h.Broadcasts.StatusAsync(id, default))!.Value.Report.Sent.Should().Be(150);
    }

    [Fact]
    public async Task A_crashed_instance_s_claims_are_taken_over_when_their_lease_expires()
    {
        var clock = new ManualClock(Start);
        var telegram = new FakeSender("telegram");
        await using var h = await ReminderHarness.CreateAsync("postgres", [], clock, senders: [telegram]);
        await h.AddConversationAsync("telegram", "1");
        await h.AddConversationAsync("telegram", "2");
        await h.Broadcasts.CreateAsync(new BroadcastDraft("Thông báo", [], BroadcastAudience.Everyone, null, Start, "btc"), default);

        await using var crashed = new PostgresDatabase(h.Backend.ConnectionString, NullLogger<PostgresDatabase>.Instance);
        (await new PostgresOutboxStore(crashed).ClaimAsync("crashed", 10, Start, TimeSpan.FromMinutes(5), default)).Should().HaveCount(2);
        await crashed.DisposeAsync();

        await h.DrainAsync();
        telegram.Sent.Should().BeEmpty("the crashed instance's lease still holds");
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await h.DrainAsync();
        telegram.Sent.Select(s => s.Conversation).Should().BeEquivalentTo(["1", "2"]);
        h.Count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 2").Should().Be(2);
    }

    [Fact]
    public async Task The_shared_rate_limit_holds_for_two_instances_together()
    {
        const int Rate = 20;
        await using var h = await ReminderHarness.CreateAsync("postgres", [], new ManualClock(Start));
        await using var other = new PostgresDatabase(h.Backend.ConnectionString, NullLogger<PostgresDatabase>.Instance);
        PostgresRateLimiter[] limiters = [new(h.Postgres!), new(other)];
        var slots = new ConcurrentBag<DateTimeOffset>();
        var sent = new ConcurrentBag<TimeSpan>();
        var watch = Stopwatch.StartNew();
        var run = TimeSpan.FromSeconds(2.5);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            while (watch.Elapsed < run)
            {
                var slot = await limiters[t % 2].ReserveAsync("telegram", Rate, default);
                slots.Add(slot.At);
                await Task.Delay(slot.Delay);
                sent.Add(watch.Elapsed);
            }
        })));

        var ordered = slots.Order().ToList();
        ordered.Should().HaveCountGreaterThan(2 * Rate, "both instances kept sending for 2.5 s");
        for (var i = 0; i + Rate < ordered.Count; i++)
        {
            (ordered[i + Rate] - ordered[i]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "no second holds more than {0} slots", Rate);
        }

        // Sends follow their slots: over the whole run no more than the rate allows (plus the first second's worth).
        sent.Count.Should().BeLessThanOrEqualTo((int)Math.Ceiling(watch.Elapsed.TotalSeconds * Rate) + Rate);
        (await limiters[0].ReserveAsync("msteams", Rate, default)).Delay.Should().Be(TimeSpan.Zero, "each channel has its own rate");
    }
}
