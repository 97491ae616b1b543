using System.Collections.Concurrent;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Tests.Pipeline;

/// <summary>
/// The conversation store and pipeline contract, on SQLite and on PostgreSQL: the services are built the real way
/// (<see cref="CoreServices.AddCcBotCore"/>) over an empty database, with a recording handler.
/// </summary>
public abstract class ConversationStoreContractTests(string provider) : IAsyncLifetime
{
    protected StorageBackend Backend { get; private set; } = null!;

    private readonly List<ServiceProvider> _instances = [];

    public async Task InitializeAsync() => Backend = await StorageBackend.CreateAsync(provider);

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Backend.DisposeAsync();
    }

    /// <summary>One bot instance on the shared database (services only; no web host).</summary>
    protected ServiceProvider Instance(ITurnHandler handler, IEnumerable<IChannelSender>? senders = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(Backend.Configuration).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
        services.AddCcBotCore(config, TestRepo.Root);
        services.AddSingleton(handler);
        foreach (var sender in senders ?? [])
        {
            services.AddSingleton(sender);
        }

        var sp = services.BuildServiceProvider();
        _instances.Add(sp);
        return sp;
    }

    protected static InboundActivity Message(string conversation, string id, string text, DateTimeOffset? at = null) => new()
    {
        Channel = "test",
        Id = id,
        Kind = ActivityKind.Message,
        From = new ConversationReference("test", conversation, "u-" + conversation, "Người dùng"),
        Text = text,
        Timestamp = at ?? DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task Turns_store_state_replies_and_transcript()
    {
        var handler = new RecordingHandler();
        var sp = Instance(handler);
        var inbox = sp.GetRequiredService<IInbox>();
        await (await inbox.SubmitAsync(Message("c1", "a1", "xin chào"), default)).Handled;
        await (await inbox.SubmitAsync(Message("c1", "a2", "lần hai"), default)).Handled;

        var store = sp.GetRequiredService<IConversationStore>();
        var transcript = await store.ReadTranscriptAsync("test:c1", 0, 100, default);
        transcript.Select(t => (t.Inbound, t.Text)).Should().Equal(
            (true, "xin chào"), (false, "echo xin chào #1"), (true, "lần hai"), (false, "echo lần hai #2"));
        transcript.Where(t => t.Inbound).Should().OnlyContain(t => t.Status == "handled");
        transcript.Select(t => t.Seq).Should().BeInAscendingOrder();
        (await store.ReadTranscriptAsync("test:c1", transcript[1].Seq, 100, default)).Should().HaveCount(2);
        (await store.GetReferenceAsync("test:c1", default))!.UserId.Should().Be("u-c1");
        (await store.GetReferenceAsync("test:none", default)).Should().BeNull();
        (await store.PingAsync(default)).Should().BeTrue();
    }

    [Fact]
    public async Task A_redelivered_activity_is_stored_and_handled_once()
    {
        var handler = new RecordingHandler();
        var inbox = Instance(handler).GetRequiredService<IInbox>();
        var first = await inbox.SubmitAsync(Message("c1", "dup", "một"), default);
        var second = await inbox.SubmitAsync(Message("c1", "dup", "một"), default);
        await first.Handled;
        second.Duplicate.Should().BeTrue();
        second.Seq.Should().Be(first.Seq);
        handler.Seen["test:c1"].Should().Equal("một");
    }

    [Fact]
    public async Task The_same_activity_id_in_two_conversations_is_two_turns_and_each_reply_names_its_message()
    {
        var handler = new RecordingHandler();
        var sp = Instance(handler);
        var inbox = sp.GetRequiredService<IInbox>();
        var first = await inbox.SubmitAsync(Message("c7", "1", "một"), default);
        var second = await inbox.SubmitAsync(Message("c8", "1", "hai"), default);
        await first.Handled;
        await second.Handled;

        second.Duplicate.Should().BeFalse("an id is only unique within its conversation");
        second.Seq.Should().NotBe(first.Seq);
        handler.Seen["test:c7"].Should().Equal("một");
        handler.Seen["test:c8"].Should().Equal("hai");
        var store = sp.GetRequiredService<IConversationStore>();
        var reply = (await store.ReadTranscriptAsync("test:c8", 0, 10, default)).Single(t => !t.Inbound);
        reply.ReplyToSeq.Should().Be(second.Seq);
        var proactive = await store.AppendOutboundAsync((await store.GetReferenceAsync("test:c8", default))!, OutboundMessage.Plain("Nhắc lịch"), DateTimeOffset.UtcNow, default);
        (await store.ReadTranscriptAsync("test:c8", 0, 10, default)).Single(t => t.Seq == proactive.Seq).ReplyToSeq.Should().BeNull("a proactive message answers nothing");
    }

    [Fact]
    public async Task Proactive_messages_are_stored_and_marked()
    {
        var sp = Instance(new RecordingHandler());
        var store = sp.GetRequiredService<IConversationStore>();
        await (await sp.GetRequiredService<IInbox>().SubmitAsync(Message("c2", "1", "hi"), default)).Handled;
        var to = (await store.GetReferenceAsync("test:c2", default))!;
        var stored = await store.AppendOutboundAsync(to, OutboundMessage.Plain("Nhắc lịch: còn 2 ngày"), DateTimeOffset.UtcNow, default);
        await store.MarkOutboundAsync(stored.Seq, new SendOutcome(SendStatus.Unreachable, Error: "blocked"), DateTimeOffset.UtcNow, default);
        var row = (await store.ReadTranscriptAsync("test:c2", 0, 10, default)).Single(t => t.Seq == stored.Seq);
        row.Status.Should().Be("unreachable");
        row.Text.Should().Be("Nhắc lịch: còn 2 ngày");
        var snapshot = await store.LoadAsync(Message("c2", "2", "x"), default);
        snapshot.Unreachable.Should().BeTrue();
    }

    [Fact]
    public async Task Unhandled_inbound_from_a_stopped_process_is_found_again()
    {
        var sp = Instance(new RecordingHandler());
        var store = sp.GetRequiredService<IConversationStore>();
        // Stored by a process that stopped before handling it, a while ago.
        var lost = Message("c3", "lost", "còn đó không", DateTimeOffset.UtcNow.AddMinutes(-5));
        (await store.AcceptInboundAsync(lost, default)).Duplicate.Should().BeFalse();
        var pending = await store.GetUnhandledInboundAsync(100, default);
        pending.Should().ContainSingle().Which.Activity.Text.Should().Be("còn đó không");
        pending[0].Activity.From.ConversationId.Should().Be("c3");
    }

    [Fact]
    public async Task Many_conversations_keep_their_own_order()
    {
        var handler = new RecordingHandler();
        var inbox = Instance(handler).GetRequiredService<IInbox>();
        var receipts = new List<InboxReceipt>();
        for (var i = 0; i < 10; i++)
        {
            for (var c = 0; c < 5; c++)
            {
                receipts.Add(await inbox.SubmitAsync(Message("c" + c, $"c{c}-{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), default));
            }
        }

        await Task.WhenAll(receipts.Select(r => r.Handled));
        for (var c = 0; c < 5; c++)
        {
            handler.Seen["test:c" + c].Should().Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}

public sealed class ConversationStoreOnSqlite() : ConversationStoreContractTests("sqlite");

public sealed class ConversationStoreOnPostgres() : ConversationStoreContractTests("postgres")
{
    [Fact]
    public async Task Two_instances_keep_one_conversation_in_order_and_lose_no_state()
    {
        // Consecutive messages of one conversation alternate between two instances (a load balancer without affinity);
        // the handler is slow so turns overlap. Each turn must see the state of the previous one.
        var seen = new ConcurrentQueue<string>();
        var a = Instance(new RecordingHandler(async t => { seen.Enqueue(t.Activity.Text!); await Task.Delay(15); }));
        var b = Instance(new RecordingHandler(async t => { seen.Enqueue(t.Activity.Text!); await Task.Delay(15); }));
        var inboxes = new[] { a.GetRequiredService<IInbox>(), b.GetRequiredService<IInbox>() };
        var receipts = new List<InboxReceipt>();
        for (var i = 0; i < 30; i++)
        {
            receipts.Add(await inboxes[i % 2].SubmitAsync(Message("shared", "m" + i, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), default));
        }

        await Task.WhenAll(receipts.Select(r => r.Handled)).WaitAsync(TimeSpan.FromSeconds(60));
        seen.Should().Equal(Enumerable.Range(0, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "turns run once each, in arrival order");
        var replies = (await a.GetRequiredService<IConversationStore>().ReadTranscriptAsync("test:shared", 0, 100, default)).Where(t => !t.Inbound).Select(t => t.Text).ToList();
        replies.Should().Equal(Enumerable.Range(0, 30).Select(i => $"echo {i} #{i + 1}"), "each turn saw the count saved by the one before, whichever instance ran it");
    }

    [Fact]
    public async Task A_webhook_retried_to_the_other_instance_is_handled_once()
    {
        var seen = new ConcurrentQueue<string>();
        var a = Instance(new RecordingHandler(t => { seen.Enqueue(t.Activity.Id); return Task.CompletedTask; }));
        var b = Instance(new RecordingHandler(t => { seen.Enqueue(t.Activity.Id); return Task.CompletedTask; }));
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? a : b).GetRequiredService<IInbox>().SubmitAsync(Message("c", "update-42", "một lần thôi"), default)));
        await Task.WhenAll(results.Select(r => r.Handled));
        results.Count(r => !r.Duplicate).Should().Be(1);
        results.Select(r => r.Seq).Distinct().Should().ContainSingle();
        seen.Should().Equal("update-42");
    }

    [Fact]
    public async Task Unsent_replies_are_claimed_by_one_instance_only()
    {
        var a = Instance(new RecordingHandler());
        var b = Instance(new RecordingHandler());
        var store = a.GetRequiredService<IConversationStore>();
        await (await a.GetRequiredService<IInbox>().SubmitAsync(Message("c5", "1", "hi"), default)).Handled;
        var to = (await store.GetReferenceAsync("test:c5", default))!;
        for (var i = 0; i < 20; i++)
        {
            var s = await store.AppendOutboundAsync(to, OutboundMessage.Plain("retry " + i), DateTimeOffset.UtcNow, default);
            await store.MarkOutboundAsync(s.Seq, new SendOutcome(SendStatus.Retry), DateTimeOffset.UtcNow, default);
        }

        var claims = await Task.WhenAll(
            store.GetUnsentOutboundAsync(100, default, includePending: false),
            b.GetRequiredService<IConversationStore>().GetUnsentOutboundAsync(100, default, includePending: false));
        claims.SelectMany(c => c).Select(p => p.Message.Seq).Should().OnlyHaveUniqueItems().And.HaveCount(20);
        (await store.GetUnsentOutboundAsync(100, default, includePending: false)).Should().BeEmpty("the claims hold for their lease");
    }

    [Fact]
    public async Task A_turn_left_by_a_stopped_instance_is_taken_over_once()
    {
        var handler = new RecordingHandler();
        var sp = Instance(handler);
        var store = sp.GetRequiredService<IConversationStore>();
        // Instance "dead" stored two messages of one conversation and stopped before handling them.
        await store.AcceptInboundAsync(Message("c6", "x1", "một", DateTimeOffset.UtcNow.AddMinutes(-2)), default);
        await store.AcceptInboundAsync(Message("c6", "x2", "hai", DateTimeOffset.UtcNow.AddMinutes(-2)), default);
        // A fresh message to the live instance: the earlier ones run first, in order, then this one.
        await (await sp.GetRequiredService<IInbox>().SubmitAsync(Message("c6", "x3", "ba"), default)).Handled;
        handler.Seen["test:c6"].Should().Equal("một", "hai", "ba");
        (await store.GetUnhandledInboundAsync(100, default)).Should().BeEmpty();
    }
}
