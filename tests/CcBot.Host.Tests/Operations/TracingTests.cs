using System.Collections.Concurrent;
using System.Diagnostics;
using CcBot.Core.Pipeline;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Operations;

/// <summary>One web-chat message followed from its HTTP request to its turn's spans.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task A_message_turn_is_a_child_of_the_request_that_brought_it_with_handle_and_commit_spans()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "CcBot" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await TestHost.StartAsync();
        var chat = new DirectLineClient(host.Http);
        await chat.StartAsync("hai-duong-2024");
        await chat.AskAsync("hạn báo cáo hải dương");

        var conversation = TurnLogScope.Hash("directline:" + chat.ConversationId);
        Activity? turn = null;
        await Telegram.FakeBotApi.WaitUntilAsync(() =>
            (turn = spans.LastOrDefault(s => s.OperationName == "ccbot.turn" && (string?)s.GetTagItem("ccbot.conversation") == conversation && s.GetTagItem("ccbot.intent") is not null)) is not null,
            15, "the message's turn span ended");
        turn!.GetTagItem("ccbot.channel").Should().Be("directline");
        turn.GetTagItem("ccbot.outcome").Should().Be("answered");
        var request = spans.Single(s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == turn.ParentSpanId);
        request.TraceId.Should().Be(turn.TraceId);
        spans.Should().Contain(s => s.OperationName == "ccbot.turn.handle" && s.ParentSpanId == turn.SpanId);
        spans.Should().Contain(s => s.OperationName == "ccbot.turn.commit" && s.ParentSpanId == turn.SpanId);
        request.GetTagItem("ccbot.channel").Should().Be("directline", "the request says what it stored");
        request.GetTagItem("ccbot.duplicate").Should().Be(false);
        turn.Tags.Select(t => t.Value).Should().NotContain(v => v != null && v.Contains(chat.ConversationId, StringComparison.Ordinal), "the conversation is hashed");
    }
}
