using System.Collections.Concurrent;
using System.Diagnostics;
using CcBot.Core.Pipeline;

namespace CcBot.Core.Tests.Pipeline;

/// <summary>What a turn inherits from the request that brought its activity: its span parent and log scopes, nothing older.</summary>
public sealed class TurnContextFlowTests
{
    [Fact]
    public async Task A_queued_item_runs_in_the_context_of_its_own_caller_not_of_the_item_that_opened_the_lane()
    {
        var lanes = new ConversationLanes(4);
        var local = new AsyncLocal<string?>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new ConcurrentQueue<string?>();

        local.Value = "first request";
        lanes.Enqueue("conversation", async () =>
        {
            await release.Task;
            seen.Enqueue(local.Value);
        });
        local.Value = "second request";
        lanes.Enqueue("conversation", async () =>
        {
            await Task.Yield();
            seen.Enqueue(local.Value);
            done.SetResult();
        });
        local.Value = null;
        release.SetResult();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        seen.Should().Equal("first request", "second request");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_sampled_turn_has_handle_and_commit_children_and_one_not_sampled_has_none(bool sampled)
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Telemetry.CcBotTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = new PipelineHarness(new RecordingHandler());

        using var request = new Activity("test.request");
        request.ActivityTraceFlags = sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        request.SetIdFormat(ActivityIdFormat.W3C);
        request.Start();
        var receipt = await harness.Pipeline.SubmitAsync(PipelineHarness.Message("c1", "m1", "xin chào"), CancellationToken.None);
        request.Stop();
        await receipt.Handled.WaitAsync(TimeSpan.FromSeconds(10));

        request.GetTagItem("ccbot.channel").Should().Be("test", "the request says what it stored");
        request.GetTagItem("ccbot.duplicate").Should().Be(false);
        var trace = stopped.Where(a => a.TraceId == request.TraceId).ToList();
        var turn = trace.Should().ContainSingle(a => a.OperationName == "ccbot.turn").Subject;
        turn.ParentSpanId.Should().Be(request.SpanId);
        if (sampled)
        {
            turn.GetTagItem("ccbot.channel").Should().Be("test");
            trace.Select(a => a.OperationName).Should().BeEquivalentTo("ccbot.turn", "ccbot.turn.handle", "ccbot.turn.commit");
            trace.Where(a => a.OperationName != "ccbot.turn").Should().OnlyContain(a => a.ParentSpanId == turn.SpanId);
        }
        else
        {
            turn.TagObjects.Should().BeEmpty("a turn not sampled is not tagged");
            trace.Should().ContainSingle("a turn not sampled gets no child spans");
        }
    }
}
