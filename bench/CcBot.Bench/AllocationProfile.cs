using System.Diagnostics.Tracing;
using System.Globalization;
using CcBot.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Bench;

/// <summary>
/// What the pipeline allocates, by type: the runtime's allocation-tick events (one per ~100 KB allocated, naming the type
/// of the object that crossed the mark) collected in-process during a warmed-up run, so the types that dominate the
/// bytes per activity show up without an external profiler. Usage: <c>alloc [activities] [conversations]</c>.
/// </summary>
public static class AllocationProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var conversations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        await using var provider = await PipelineThroughput.StartAsync(PipelineThroughput.BotServices("FULL"));
        var inbox = provider.GetRequiredService<IInbox>();
        await PipelineThroughput.RunLoadAsync(inbox, 6_000, conversations, "warm");

        using var ticks = new AllocationTicks();
        var before = GC.GetTotalAllocatedBytes();
        await PipelineThroughput.RunLoadAsync(inbox, total, conversations, "run");
        var allocated = GC.GetTotalAllocatedBytes() - before;
        var done = total / conversations * conversations;
        var sampled = ticks.Snapshot();
        var sampledBytes = sampled.Sum(kv => kv.Value);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alloc: {done} activities, {allocated / 1024.0 / done:0.0} KB/activity; by type (share of allocation ticks):"));
        foreach (var (type, bytes) in sampled.OrderByDescending(kv => kv.Value).Take(40))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / sampledBytes,6:0.0}%  {allocated * ((double)bytes / sampledBytes) / 1024.0 / done,7:0.00} KB/activity  {type}"));
        }

        return 0;
    }

    private sealed class AllocationTicks : EventListener
    {
        private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);

        public Dictionary<string, long> Snapshot()
        {
            lock (_bytes)
            {
                return new Dictionary<string, long>(_bytes, StringComparer.Ordinal);
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null || eventData.PayloadNames is null)
            {
                return;
            }

            var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
            var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], CultureInfo.InvariantCulture) : 100_000;
            lock (_bytes)
            {
                _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
            }
        }
    }
}
