using System.Net;
using System.Net.WebSockets;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;

namespace CcBot.Host.Tests.ScaleOut;

/// <summary>Two host processes behind one bot on one PostgreSQL database.</summary>
public sealed class TwoInstanceTests
{
    [Fact]
    public async Task Both_instances_start_together_and_the_schema_is_migrated_once()
    {
        await using var pair = await TwoInstances.StartAsync();
        var ids = await pair.ColumnAsync("SELECT id FROM schema_migrations ORDER BY id");
        ids.Should().OnlyHaveUniqueItems().And.Contain("0001_core").And.Contain("0190_quartz");
        (await pair.CountAsync("SELECT count(*) FROM schema_migrations")).Should().Be(ids.Count);
    }

    [Fact]
    public async Task Duplicate_webhook_deliveries_to_both_instances_give_one_reply()
    {
        await using var pair = await TwoInstances.StartAsync();

        // Baseline: one delivery of /help to chat 301.
        var once = FakeBotApi.TextMessage(301, "/help");
        once["update_id"] = 9001;
        (await TwoInstances.PostUpdateAsync(pair.A, once)).Should().Be(HttpStatusCode.OK);
        await FakeBotApi.WaitUntilAsync(() => pair.Fake.SentTo(301).Count >= 1, 30, "the baseline reply");

        // The same kind of update delivered six times (Telegram retrying) to both instances at once.
        var update = FakeBotApi.TextMessage(302, "/help");
        update["update_id"] = 9002;
        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => TwoInstances.PostUpdateAsync(pair[i], update)));
        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK, "a duplicate is acknowledged, so Telegram stops retrying");
        await FakeBotApi.WaitUntilAsync(() => pair.Fake.SentTo(302).Count >= pair.Fake.SentTo(301).Count, 30, "the reply");
        // Every delivery was acknowledged only after it was stored or recognised as a duplicate: once nothing is pending,
        // every turn has run and every reply has been sent.
        await FakeBotApi.WaitUntilAsync(async () => await pair.CountAsync("SELECT count(*) FROM transcript WHERE status = 'pending'") == 0, 30, "settled");

        pair.Fake.SentTo(302).Select(c => c.Text).Should().Equal(pair.Fake.SentTo(301).Select(c => c.Text), "six deliveries give the reply of one");
        (await pair.CountAsync("SELECT count(*) FROM transcript WHERE inbound AND channel = 'telegram' AND conversation_key = 'telegram:302'")).Should().Be(1);
    }

    [Fact]
    public async Task Consecutive_updates_on_different_instances_are_handled_in_order()
    {
        await using var pair = await TwoInstances.StartAsync();
        const int Count = 10;
        for (var i = 0; i < Count; i++)
        {
            var update = FakeBotApi.TextMessage(303, i % 3 == 0 ? "/help" : "xin chào", messageId: 100 + i);
            update["update_id"] = 9100 + i;
            (await TwoInstances.PostUpdateAsync(pair[i], update)).Should().Be(HttpStatusCode.OK);
        }

        await FakeBotApi.WaitUntilAsync(
            async () => await pair.CountAsync("SELECT count(*) FROM transcript WHERE conversation_key = 'telegram:303' AND inbound AND status = 'handled'") == Count,
            60, "every update handled");

        // Replies are stored in the turn that answers an update; turns in order means reply rows follow update order.
        var inboundIds = await pair.ColumnAsync("SELECT activity_id FROM transcript WHERE conversation_key = 'telegram:303' AND inbound ORDER BY seq");
        var replyOwners = await pair.ColumnAsync("SELECT split_part(activity_id, '/r', 1) FROM transcript WHERE conversation_key = 'telegram:303' AND NOT inbound ORDER BY seq");
        inboundIds.Should().HaveCount(Count);
        replyOwners.Distinct().Should().Equal(inboundIds, "each update's replies come after the previous update's, though they reached different instances");
        replyOwners.Should().HaveCountGreaterThanOrEqualTo(Count);
    }

    [Fact]
    public async Task A_Direct_Line_conversation_works_whichever_instance_a_request_reaches()
    {
        await using var pair = await TwoInstances.StartAsync();
        using var httpA = new HttpClient { BaseAddress = new Uri(pair.A.BaseUrl + "/") };
        using var httpB = new HttpClient { BaseAddress = new Uri(pair.B.BaseUrl + "/") };

        // Token and conversation from instance A, stream open on A.
        var onA = new DirectLineClient(httpA);
        await onA.StartAsync();
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(onA.StreamUrl), CancellationToken.None);
        var greeting = await DirectLineClient.ReceiveActivitiesAsync(ws, TimeSpan.FromSeconds(20));
        greeting.Should().Contain(a => a["from"]!["role"]!.GetValue<string>() == "bot");

        // The message is posted to instance B (same token: the signing key is shared through the database).
        var onB = new DirectLineClient(httpB) { Token = onA.Token, ConversationId = onA.ConversationId };
        var started = System.Diagnostics.Stopwatch.StartNew();
        await onB.SendAsync("/help");

        // The reply is written by B and pushed by A's stream well before A's 15 s safety poll: relayed by LISTEN/NOTIFY.
        var pushed = new List<System.Text.Json.Nodes.JsonObject>();
        while (!pushed.Any(a => a["from"]!["role"]!.GetValue<string>() == "bot"))
        {
            pushed.AddRange(await DirectLineClient.ReceiveActivitiesAsync(ws, TimeSpan.FromSeconds(8)));
        }

        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
        pushed.Last()["text"]!.GetValue<string>().Should().Contain("Tôi có thể giúp bạn");

        // Polling the activities on either instance gives the same transcript.
        var fromA = await onA.GetActivitiesAsync();
        var fromB = await onB.GetActivitiesAsync();
        fromB.Select(a => a["id"]!.GetValue<string>()).Should().Equal(fromA.Select(a => a["id"]!.GetValue<string>()));
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }
}
