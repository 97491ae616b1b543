using CcBot.Core.Activities;
using CcBot.Core.Pipeline;

namespace CcBot.Core.Tests.Pipeline;

public sealed class TurnPipelineTests
{
    [Fact]
    public async Task Inbound_and_reply_are_stored_and_state_survives_between_turns()
    {
        var handler = new RecordingHandler();
        await using var h = new PipelineHarness(handler);

        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "a1", "xin chào"), default)).Handled;
        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "a2", "lần hai"), default)).Handled;

        var rows = await h.Store.ReadTranscriptAsync("test:c1", 0, 100, default);
        rows.Select(r => (r.Inbound, r.Text, r.Status)).Should().Equal(
            (true, "xin chào", "handled"),
            (false, "echo xin chào #1", "sent"),
            (true, "lần hai", "handled"),
            (false, "echo lần hai #2", "sent"));
    }

    [Fact]
    public async Task Same_activity_id_twice_is_handled_once()
    {
        var handler = new RecordingHandler();
        await using var h = new PipelineHarness(handler);

        var first = await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "dup", "một"), default);
        var second = await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "dup", "một"), default);
        await first.Handled;

        first.Duplicate.Should().BeFalse();
        second.Duplicate.Should().BeTrue();
        second.Seq.Should().Be(first.Seq);
        handler.Seen["test:c1"].Should().HaveCount(1);
        h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 1").Should().Be(1);
    }

    [Fact]
    public async Task One_conversation_is_handled_in_order_while_different_conversations_run_in_parallel()
    {
        var random = new Random(42);
        var handler = new RecordingHandler(_ => Task.Delay(random.Next(0, 4)));
        await using var h = new PipelineHarness(handler);

        var receipts = new List<InboxReceipt>();
        for (var i = 0; i < 40; i++)
        {
            for (var c = 0; c < 5; c++)
            {
                receipts.Add(await h.Pipeline.SubmitAsync(PipelineHarness.Message("c" + c, $"c{c}-{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), default));
            }
        }

        await Task.WhenAll(receipts.Select(r => r.Handled));

        for (var c = 0; c < 5; c++)
        {
            handler.Seen["test:c" + c].Should().Equal(Enumerable.Range(0, 40).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        handler.MaxConcurrent.Should().BeGreaterThan(1, "different conversations run in parallel");
        h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0").Should().Be(200);
    }

    [Fact]
    public async Task A_failing_handler_gives_a_polite_reply_and_keeps_the_previous_state()
    {
        var fail = false;
        var handler = new RecordingHandler(turn =>
        {
            if (fail)
            {
                turn.State.Values["count"] = "999";
                throw new InvalidOperationException("boom");
            }

            return Task.CompletedTask;
        });
        await using var h = new PipelineHarness(handler);

        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "1", "a"), default)).Handled;
        fail = true;
        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "2", "b"), default)).Handled;
        fail = false;
        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "3", "c"), default)).Handled;

        var texts = (await h.Store.ReadTranscriptAsync("test:c1", 0, 100, default)).Where(r => !r.Inbound).Select(r => r.Text);
        texts.Should().Equal("echo a #1", "Lỗi rồi", "echo c #2");
    }

    [Fact]
    public async Task An_activity_stored_but_never_handled_is_found_again_after_a_crash()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ccbot-core-tests", Guid.NewGuid().ToString("N"));
        await using (var crashed = new PipelineHarness(new RecordingHandler(), folder))
        {
            // Stored by the inbox, then the process "dies" before the turn runs.
            (await crashed.Store.AcceptInboundAsync(PipelineHarness.Message("c1", "lost?", "còn đó không"), default)).Duplicate.Should().BeFalse();
        }

        var handler = new RecordingHandler();
        await using var restarted = new PipelineHarness(handler, folder);
        var pending = await restarted.Store.GetUnhandledInboundAsync(100, default);
        pending.Should().ContainSingle().Which.Activity.Text.Should().Be("còn đó không");

        await restarted.Pipeline.Schedule(pending[0].Activity, pending[0].Seq);

        handler.Seen["test:c1"].Should().Equal("còn đó không");
        (await restarted.Store.GetUnhandledInboundAsync(100, default)).Should().BeEmpty();
        restarted.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND text LIKE 'echo còn đó không%'").Should().Be(1);
    }

    [Fact]
    public async Task Replies_go_to_the_channel_sender_and_an_unreachable_user_is_marked()
    {
        var sender = new ScriptedSender("test", new SendOutcome(SendStatus.Unreachable, Error: "blocked"));
        await using var h = new PipelineHarness(new RecordingHandler(), senders: [sender]);

        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "1", "hi"), default)).Handled;

        sender.Sent.Should().ContainSingle().Which.Message.Text.Should().Be("echo hi #1");
        h.Count("SELECT COUNT(*) FROM transcript WHERE status = 'unreachable'").Should().Be(1);
        h.Count("SELECT COUNT(*) FROM users WHERE unreachable_at IS NOT NULL").Should().Be(1);
        h.Count("SELECT COUNT(*) FROM conversations WHERE unreachable_at IS NOT NULL").Should().Be(1);
        (await h.Store.GetUnsentOutboundAsync(10, default)).Should().BeEmpty("nothing is re-sent to an unreachable user");
    }

    [Fact]
    public async Task Conversation_reference_is_stored_for_proactive_messages()
    {
        await using var h = new PipelineHarness(new RecordingHandler());
        var activity = PipelineHarness.Message("c9", "1", "x") with
        {
            From = new ConversationReference("test", "c9", "user-9", "Lan", ServiceUrl: "https://smba.example/teams/", TenantId: "t1"),
        };

        await (await h.Pipeline.SubmitAsync(activity, default)).Handled;

        var reference = await h.Store.GetReferenceAsync("test:c9", default);
        reference.Should().Be(activity.From);
    }

    [Fact]
    public async Task A_reply_the_channel_could_not_take_is_sent_again_without_a_restart()
    {
        var sender = new ScriptedSender("test", new SendOutcome(SendStatus.Retry, Error: "503"), SendOutcome.Ok("m-1"));
        await using var h = new PipelineHarness(new RecordingHandler(), senders: [sender]);
        var recovery = h.Recovery(1);
        await recovery.StartAsync(default);

        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "1", "hi"), default)).Handled;
        h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'retry'").Should().Be(1);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'sent'") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await recovery.StopAsync(default);
        recovery.Dispose();
        sender.Sent.Should().HaveCount(2, "one failed attempt, then one retry");
        h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'sent' AND channel_message_id = 'm-1'").Should().Be(1);
    }

    [Fact]
    public async Task A_reply_on_a_channel_that_is_off_stays_pending_and_goes_when_the_channel_is_on()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ccbot-core-tests", Guid.NewGuid().ToString("N"));
        await using (var off = new PipelineHarness(new RecordingHandler(), folder))
        {
            await (await off.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "1", "hi", channel: "telegram"), default)).Handled;
            off.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'pending'").Should().Be(1, "no Telegram sender: not delivered");
            off.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status <> 'pending'").Should().Be(0);
        }

        var telegram = new ScriptedSender("telegram", SendOutcome.Ok("m-9"));
        await using var on = new PipelineHarness(new RecordingHandler(), folder, senders: [telegram]);
        var recovery = on.Recovery(60);
        await recovery.StartAsync(default);
        await recovery.StopAsync(default);
        recovery.Dispose();

        telegram.Sent.Should().ContainSingle().Which.Message.Text.Should().Be("echo hi #1");
        on.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'sent' AND channel_message_id = 'm-9'").Should().Be(1);
    }

    [Fact]
    public async Task A_reply_that_never_goes_through_is_given_up_after_its_attempts_and_marked_failed()
    {
        var sender = new ScriptedSender("test", new SendOutcome(SendStatus.Retry, Error: "503 Service Unavailable"));
        await using var h = new PipelineHarness(new RecordingHandler(), senders: [sender],
            options: new PipelineOptions { MaxParallelConversations = 8, MaxSendAttempts = 3, RetryBaseSeconds = 0.2, RetryMaxSeconds = 0.5 });
        var recovery = h.Recovery(1);
        await recovery.StartAsync(default);

        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "1", "hi"), default)).Handled;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'failed'") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await recovery.StopAsync(default);
        recovery.Dispose();
        h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'failed' AND error = 'gave up after 3 attempts: 503 Service Unavailable'")
            .Should().Be(1, "the reply is given up after Pipeline:MaxSendAttempts");
        sender.Sent.Should().HaveCount(3, "a failed reply is final: it is not picked up again");
    }

    [Fact]
    public async Task A_newer_reply_waits_behind_an_older_one_being_retried_and_they_arrive_in_order()
    {
        var sender = new ScriptedSender("test", new SendOutcome(SendStatus.Retry, Error: "429", RetryAfter: TimeSpan.FromMilliseconds(300)), SendOutcome.Ok("m"));
        await using var h = new PipelineHarness(new RecordingHandler(), senders: [sender]);
        var recovery = h.Recovery(1);
        await recovery.StartAsync(default);

        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "1", "first"), default)).Handled;
        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "2", "second"), default)).Handled;
        sender.Sent.Should().ContainSingle("the second reply is held behind the first, which the channel did not take");
        h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'retry'").Should().Be(2);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'sent'") < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await recovery.StopAsync(default);
        recovery.Dispose();
        sender.Sent.Select(m => m.Message.Text).Should().Equal("echo first #1", "echo first #1", "echo second #2");
        h.Retries.HasBacklog("test:c1").Should().BeFalse("the conversation's backlog is cleared once everything went out");
    }

    [Fact]
    public async Task Re_sending_goes_on_after_a_tick_that_failed()
    {
        var sender = new ScriptedSender("test", new SendOutcome(SendStatus.Retry, Error: "503"), SendOutcome.Ok("m-1"));
        await using var h = new PipelineHarness(new RecordingHandler(), senders: [sender]);
        var flaky = new StoreThrowingOnce(h.Store);
        var recovery = h.Recovery(1, flaky);
        await recovery.StartAsync(default);

        await (await h.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "1", "hi"), default)).Handled;
        h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'retry'").Should().Be(1);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'sent'") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await recovery.StopAsync(default);
        recovery.Dispose();
        flaky.Thrown.Should().Be(1, "the first retry tick hit the failing store");
        h.Count("SELECT COUNT(*) FROM transcript WHERE inbound = 0 AND status = 'sent' AND channel_message_id = 'm-1'").Should().Be(1,
            "the tick after the failure re-sent the reply");
    }

    /// <summary>A real store whose retry query fails once (a database hiccup), then works.</summary>
    private sealed class StoreThrowingOnce(IConversationStore inner) : IConversationStore
    {
        public int Thrown;

        public Task<IReadOnlyList<PendingOutbound>> GetUnsentOutboundAsync(int max, CancellationToken cancellationToken, bool includePending = true)
        {
            if (!includePending && Interlocked.CompareExchange(ref Thrown, 1, 0) == 0)
            {
                throw new InvalidOperationException("database is locked");
            }

            return inner.GetUnsentOutboundAsync(max, cancellationToken, includePending);
        }

        public Task<InboundAcceptance> AcceptInboundAsync(InboundActivity activity, CancellationToken cancellationToken) => inner.AcceptInboundAsync(activity, cancellationToken);

        public Task<TurnSnapshot> LoadAsync(InboundActivity activity, CancellationToken cancellationToken) => inner.LoadAsync(activity, cancellationToken);

        public Task<IReadOnlyList<StoredOutbound>> CommitTurnAsync(TurnCommit commit, CancellationToken cancellationToken) => inner.CommitTurnAsync(commit, cancellationToken);

        public Task<StoredOutbound> AppendOutboundAsync(ConversationReference to, OutboundMessage message, DateTimeOffset at, CancellationToken cancellationToken, bool delivered = false) =>
            inner.AppendOutboundAsync(to, message, at, cancellationToken, delivered);

        public Task MarkOutboundAsync(long seq, SendOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken) => inner.MarkOutboundAsync(seq, outcome, at, cancellationToken);

        public Task<IReadOnlyList<PendingInbound>> GetUnhandledInboundAsync(int max, CancellationToken cancellationToken) => inner.GetUnhandledInboundAsync(max, cancellationToken);

        public Task<ConversationReference?> GetReferenceAsync(string conversationKey, CancellationToken cancellationToken) => inner.GetReferenceAsync(conversationKey, cancellationToken);

        public Task<IReadOnlyList<TranscriptEntry>> ReadTranscriptAsync(string conversationKey, long afterSeq, int max, CancellationToken cancellationToken) =>
            inner.ReadTranscriptAsync(conversationKey, afterSeq, max, cancellationToken);

        public Task<bool> PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
    }

    private sealed class ScriptedSender(string channel, params SendOutcome[] outcomes) : IChannelSender
    {
        public List<StoredOutbound> Sent { get; } = [];

        public string Channel => channel;

        public Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add(message);
                return Task.FromResult(outcomes[Math.Min(Sent.Count - 1, outcomes.Length - 1)]);
            }
        }
    }
}
