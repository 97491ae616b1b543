using System.Diagnostics;
using System.Globalization;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Bench;

/// <summary>
/// Issue 25's cost of metrics and tracing, measured A/B in one process: after a warm-up of both modes, phases of the full
/// pipeline (same load as <see cref="PipelineThroughput"/>) alternate between no listener and the OpenTelemetry SDK
/// recording every span and collecting the metrics (<see cref="TelemetryOverhead"/>), in the order AB BA AB…, so the drift
/// of a shared, noisy machine falls on both modes alike. Each phase reports CPU per activity (all threads, including the
/// SDK's exporter) and throughput; the result is the median of the per-pair ratios.
/// Usage: <c>telemetry-ab [activities per phase] [pairs] [conversations] [otel|otel-sampled|traces|metrics]</c>
/// (<c>otel-sampled</c>: both, with one turn in ten recorded, <c>Tracing:SampleRatio=0.1</c>; <c>none</c>: an A/A run, both
/// phases without a listener, which shows the bias and spread of the method itself).
/// </summary>
public static class TelemetryAb
{
    public static async Task<int> RunAsync(string[] args)
    {
        var perPhase = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6_000;
        var pairs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var conversations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
        var mode = args.Length > 3 ? args[3] : "otel";
        if (perPhase < conversations || pairs < 1 || conversations < 1 || mode is not ("otel" or "otel-sampled" or "traces" or "metrics" or "none"))
        {
            Console.Error.WriteLine("usage: telemetry-ab [activities per phase >= conversations] [pairs >= 1] [conversations >= 1] [otel|otel-sampled|traces|metrics|none]");
            return 64;
        }

        await using var provider = await PipelineThroughput.StartAsync(PipelineThroughput.BotServices("FULL"));
        var inbox = provider.GetRequiredService<IInbox>();
        var db = provider.GetRequiredService<SqliteDatabase>();

        var phase = 0;
        // Warm-up of both paths (JIT of the pipeline and of the SDK) outside the measurement.
        for (var w = 0; w < 3; w++)
        {
            await MeasureAsync(inbox, db, perPhase, conversations, null, $"w{phase++}");
            await MeasureAsync(inbox, db, perPhase, conversations, mode, $"w{phase++}");
        }

        var plain = new List<Phase>();
        var instrumented = new List<Phase>();
        var ratios = new List<double>();
        var throughputRatios = new List<double>();
        for (var pair = 0; pair < pairs; pair++)
        {
            var otelFirst = pair % 2 == 1;
            var first = await MeasureAsync(inbox, db, perPhase, conversations, otelFirst ? mode : null, $"p{phase++}");
            var second = await MeasureAsync(inbox, db, perPhase, conversations, otelFirst ? null : mode, $"p{phase++}");
            var (off, on) = otelFirst ? (second, first) : (first, second);
            plain.Add(off);
            instrumented.Add(on);
            ratios.Add(on.CpuMicroseconds / off.CpuMicroseconds);
            throughputRatios.Add(on.PerSecond / off.PerSecond);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pair {pair + 1}: off {off.CpuMicroseconds:0} µs/activity {off.PerSecond:0}/s {off.AllocatedKbPerActivity:0.0} KB/activity {off.Gen1Collections} gen1 GCs | {mode} {on.CpuMicroseconds:0} µs/activity {on.PerSecond:0}/s {on.AllocatedKbPerActivity:0.0} KB/activity {on.Gen1Collections} gen1 GCs | CPU ratio {on.CpuMicroseconds / off.CpuMicroseconds:0.000}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"telemetry-ab {mode}: {pairs} pairs × {perPhase} activities, {conversations} conversations: off median {Median(plain.Select(p => p.CpuMicroseconds)):0} µs/activity, {Median(plain.Select(p => p.PerSecond)):0}/s; {mode} median {Median(instrumented.Select(p => p.CpuMicroseconds)):0} µs/activity, {Median(instrumented.Select(p => p.PerSecond)):0}/s; median ratios: CPU per activity {Median(ratios):0.000}, throughput {Median(throughputRatios):0.000}"));
        return 0;
    }

    private sealed record Phase(double CpuMicroseconds, double PerSecond, double AllocatedKbPerActivity, int Gen1Collections);

    private static async Task<Phase> MeasureAsync(IInbox inbox, SqliteDatabase db, int total, int conversations, string? mode, string prefix)
    {
        // Each phase starts from the same state: the WAL folded into the database and the heap collected, so a checkpoint
        // or a full GC that one phase's load brought on is not paid by the next (they came back every 4 phases and, in
        // the AB BA order, always on the same mode: an A/A run then differed by 12%).
        Checkpoint(db);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var telemetry = mode is null or "none" ? null : new TelemetryOverhead(traces: mode != "metrics", metrics: mode != "traces", sampleRatio: mode == "otel-sampled" ? 0.1 : 1.0);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gen1Before = GC.CollectionCount(1);
        var started = Stopwatch.GetTimestamp();
        await PipelineThroughput.RunLoadAsync(inbox, total, conversations, prefix);
        if (Environment.GetEnvironmentVariable("CCBOT_AB_PHASES") == "1")
        {
            // For matching a `perf record -k CLOCK_MONOTONIC` profile to phases: Stopwatch ticks are CLOCK_MONOTONIC nanoseconds on Linux.
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phase {prefix} {mode ?? "off"} {started / (double)Stopwatch.Frequency:0.000000} {Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:0.000000}"));
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // The SDK's shutdown (flush of the last spans, final metric collection) counts as CPU, not as time of the load.
        telemetry?.Dispose();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var done = total / conversations * conversations;
        if (telemetry is { } t && mode is "otel" or "traces" && t.SpansExported < done)
        {
            throw new InvalidOperationException($"only {t.SpansExported} spans exported for {done} activities: the SDK did not record the turns");
        }

        return new Phase(cpu.TotalMicroseconds / done, done / seconds, (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / done, GC.CollectionCount(1) - gen1Before);
    }

    private static void Checkpoint(SqliteDatabase db)
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        cmd.ExecuteNonQuery();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
