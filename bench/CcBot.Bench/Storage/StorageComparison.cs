using System.Diagnostics;
using System.Globalization;

namespace CcBot.Bench.Storage;

/// <summary>
/// Issue 16.3: the conversation store's work on SQLite (the store as it is) and on LiteDB 5.0.21, durably.
/// <list type="number">
/// <item>one turn at a time (single-threaded), turns/s;</item>
/// <item>64 conversations at once, so the group commit folds writes together, turns/s;</item>
/// <item>two processes writing the same file at once (the CLI verbs and the terminal chat run beside the host);</item>
/// <item>a writer killed with SIGKILL mid-run, three times, then reopened: turns acknowledged but missing, file check.</item>
/// </list>
/// Usage: <c>dotnet run -c Release --project bench/CcBot.Bench -- storage [turns] [engines]</c> (default 3000, sqlite,litedb).
/// Files go to a fresh folder under /tmp and are deleted afterwards.
/// </summary>
public static class StorageComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var turns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
        var engines = args.Length > 1 ? args[1].Split(',') : ["sqlite", "litedb"];
        var root = Path.Combine(Path.GetTempPath(), $"ccbot-storage-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        try
        {
            foreach (var engine in engines)
            {
                await SingleThreadedAsync(engine, Path.Combine(root, $"{engine}-single.db"), Math.Max(100, turns / 3));
                await ConcurrentAsync(engine, Path.Combine(root, $"{engine}-group.db"), turns, 64);
                await TwoProcessesAsync(engine, Path.Combine(root, $"{engine}-two.db"), turns);
                for (var run = 1; run <= 3; run++) await KilledAsync(engine, Path.Combine(root, $"{engine}-kill-{run}.db"), run);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    /// <summary><c>storage-worker ENGINE FILE PREFIX TURNS LANES [shared]</c>: writes turns and prints "ack N" after each committed turn.</summary>
    public static async Task<int> WorkerAsync(string[] args)
    {
        var (engine, file, prefix) = (args[0], args[1], args[2]);
        var turns = int.Parse(args[3], CultureInfo.InvariantCulture);
        var lanes = int.Parse(args[4], CultureInfo.InvariantCulture);
        var shared = args.Length > 5 && args[5] == "shared";
        await using var store = TurnStores.Open(engine, file, shared);
        var acked = 0L;
        var output = Console.Out;
        var started = Stopwatch.GetTimestamp();
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, lanes), new ParallelOptions { MaxDegreeOfParallelism = lanes }, async (lane, ct) =>
        {
            for (var t = 0; t < turns / lanes; t++)
            {
                try
                {
                    await store.TurnAsync(prefix, lane, t, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failures);
                    lock (output) output.WriteLine($"error {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
                    continue;
                }
                var n = Interlocked.Increment(ref acked);
                lock (output) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {n}"));
            }
        });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        lock (output) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {acked} {seconds:0.000} {failures}"));
        return 0;
    }

    private static async Task SingleThreadedAsync(string engine, string file, int turns)
    {
        await using var store = TurnStores.Open(engine, file, shared: false);
        for (var t = 0; t < 20; t++) await store.TurnAsync("warm", t % 5, t, default);
        var started = Stopwatch.GetTimestamp();
        for (var t = 0; t < turns; t++) await store.TurnAsync("single", t % 50, t / 50, default);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Report(engine, "single-threaded", $"{turns / seconds:0} turns/s ({turns} turns in {seconds:0.00} s); {store.CountCommittedTurns()} committed; check {store.Check()}");
    }

    private static async Task ConcurrentAsync(string engine, string file, int turns, int lanes)
    {
        await using var store = TurnStores.Open(engine, file, shared: false);
        for (var t = 0; t < 20; t++) await store.TurnAsync("warm", t % 5, t, default);
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, lanes), new ParallelOptions { MaxDegreeOfParallelism = lanes }, async (lane, ct) =>
        {
            for (var t = 0; t < turns / lanes; t++) await store.TurnAsync("group", lane, t, ct);
        });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var done = turns / lanes * lanes;
        Report(engine, $"{lanes} at once", $"{done / seconds:0} turns/s ({done} turns in {seconds:0.00} s); {store.CountCommittedTurns()} committed; check {store.Check()}");
    }

    private static async Task TwoProcessesAsync(string engine, string file, int turns)
    {
        // Create the schema first (the host does), then two writers at once; LiteDB needs shared mode for that.
        var shared = engine == "litedb";
        using (var first = StartWorker(engine, file, "init", 1, 1, shared)) first.WaitForExit();
        var started = Stopwatch.GetTimestamp();
        var a = StartWorker(engine, file, "p1", turns / 2, 16, shared);
        var b = StartWorker(engine, file, "p2", turns / 2, 16, shared);
        var resultA = Collect(a, TimeSpan.FromMinutes(5));
        var resultB = Collect(b, TimeSpan.FromMinutes(5));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var acked = resultA.Acked + resultB.Acked;
        var errors = resultA.Errors.Concat(resultB.Errors).ToList();
        await using var store = TurnStores.Open(engine, file, shared);
        var committed = store.CountCommittedTurns() - 1;
        Report(engine, "two processes", $"{acked / seconds:0} turns/s together ({acked} of {turns / 2 / 16 * 16 * 2} turns acknowledged in {seconds:0.00} s{(resultA.TimedOut || resultB.TimedOut ? ", timed out" : "")}); {errors.Count} errors{(errors.Count > 0 ? $" (first: {errors[0]})" : "")}; {committed} committed; check {store.Check()}");
    }

    private static async Task KilledAsync(string engine, string file, int run)
    {
        var worker = StartWorker(engine, file, $"kill{run}", 1_000_000, 64, shared: false);
        var acked = 0L;
        var killAfter = TimeSpan.FromMilliseconds(700 + (run * 450));
        var firstAck = Stopwatch.StartNew();
        var firstSeen = false;
        while (await worker.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                acked = Math.Max(acked, long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                if (!firstSeen) { firstSeen = true; firstAck.Restart(); }
                if (firstSeen && firstAck.Elapsed >= killAfter)
                {
                    worker.Kill(entireProcessTree: true); // SIGKILL on Linux
                    break;
                }
            }
        }
        await worker.WaitForExitAsync();
        // Lines already written by the worker before it died are acknowledgements too.
        while (await worker.StandardOutput.ReadLineAsync() is { } rest)
        {
            if (rest.StartsWith("ack ", StringComparison.Ordinal)) acked = Math.Max(acked, long.Parse(rest.AsSpan(4), CultureInfo.InvariantCulture));
        }
        worker.Dispose();
        string verdict;
        try
        {
            await using var store = TurnStores.Open(engine, file, shared: false);
            var committed = store.CountCommittedTurns();
            verdict = $"{acked} acknowledged, {committed} committed in the file, {Math.Max(0, acked - committed)} lost; check {store.Check()}";
        }
        catch (Exception e)
        {
            verdict = $"{acked} acknowledged; reopening failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
        }
        Report(engine, $"SIGKILL run {run}", verdict);
    }

    private static (long Acked, List<string> Errors, bool TimedOut) Collect(Process worker, TimeSpan timeout)
    {
        var acked = 0L;
        var errors = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await worker.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal)) acked = Math.Max(acked, long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                else if (line.StartsWith("error ", StringComparison.Ordinal)) errors.Add(line[6..]);
            }
        });
        var timedOut = !worker.WaitForExit(timeout);
        if (timedOut) worker.Kill(entireProcessTree: true);
        worker.WaitForExit();
        reading.Wait(TimeSpan.FromSeconds(10));
        worker.Dispose();
        return (acked, errors, timedOut);
    }

    private static Process StartWorker(string engine, string file, string prefix, int turns, int lanes, bool shared)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") info.ArgumentList.Add(typeof(StorageComparison).Assembly.Location);
        foreach (var a in new[] { "storage-worker", engine, file, prefix, turns.ToString(CultureInfo.InvariantCulture), lanes.ToString(CultureInfo.InvariantCulture), shared ? "shared" : "direct" })
        {
            info.ArgumentList.Add(a);
        }
        return Process.Start(info)!;
    }

    private static void Report(string engine, string scenario, string result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{engine,-7} {scenario,-18} {result}"));
}
