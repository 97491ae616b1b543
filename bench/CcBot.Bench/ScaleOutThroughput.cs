using System.Diagnostics;
using System.Globalization;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CcBot.Bench;

/// <summary>
/// Issue 11's figures: the same load (N activities from M conversations, full router, every message stored)
/// through one instance on SQLite, one instance on PostgreSQL and two instances on PostgreSQL. Each instance is a
/// separate process (<c>scaleout-worker</c>); with two, each takes half of the conversations (a sticky load
/// balancer). Workers warm up, wait for a common start signal, run, and report; throughput = N / the slower
/// worker's time. PostgreSQL comes from <c>CCBOT_BENCH_POSTGRES</c> (an admin connection string; each run gets a
/// fresh database). Usage: <c>scaleout [activities] [conversations] [rounds]</c>.
/// </summary>
public static class ScaleOutThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var conversations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var admin = Environment.GetEnvironmentVariable("CCBOT_BENCH_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            Console.Error.WriteLine("Set CCBOT_BENCH_POSTGRES to an admin connection string, e.g. start a durable cluster with\n  eval \"$(PG_DURABLE=1 tests/postgres.sh start)\"; export CCBOT_BENCH_POSTGRES=$CCBOT_TEST_POSTGRES");
            return 2;
        }

        var results = new Dictionary<string, List<double>>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, provider, instances) in new[] { ("sqlite x1", "sqlite", 1), ("postgres x1", "postgres", 1), ("postgres x2", "postgres", 2) })
            {
                var rate = await RunConfigurationAsync(name, provider, instances, admin, total, conversations);
                if (!results.TryGetValue(name, out var list))
                {
                    results[name] = list = [];
                }

                list.Add(rate);
            }
        }

        Console.WriteLine();
        foreach (var (name, rates) in results)
        {
            var sorted = rates.Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-12} runs {string.Join(" / ", sorted.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} activities/s, median {sorted[sorted.Count / 2]:0}"));
        }

        var median = results.ToDictionary(r => r.Key, r => r.Value.Order().ElementAt(r.Value.Count / 2));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratios: postgres x1 / sqlite x1 = {median["postgres x1"] / median["sqlite x1"]:0.00}, postgres x2 / postgres x1 = {median["postgres x2"] / median["postgres x1"]:0.00}"));
        return 0;
    }

    private static async Task<double> RunConfigurationAsync(string name, string provider, int instances, string admin, int total, int conversations)
    {
        string connection;
        string? dropDatabase = null;
        if (provider == "postgres")
        {
            dropDatabase = "bench_" + Guid.NewGuid().ToString("N")[..12];
            await ExecAsync(admin, $"CREATE DATABASE {dropDatabase}");
            connection = new NpgsqlConnectionStringBuilder(admin) { Database = dropDatabase, MaxPoolSize = 100 }.ConnectionString;
        }
        else
        {
            var folder = Path.Combine(Path.GetTempPath(), "ccbot-bench", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            connection = "Data Source=" + Path.Combine(folder, "ccbot.db");
        }

        var workers = new List<Process>();
        try
        {
            for (var shard = 0; shard < instances; shard++)
            {
                workers.Add(StartWorker(provider, connection, shard, instances, total, conversations));
                if (shard == 0)
                {
                    // The first applies the migrations; the second then starts on a migrated database.
                    await WaitForLineAsync(workers[0], "READY");
                }
            }

            foreach (var w in workers.Skip(1))
            {
                await WaitForLineAsync(w, "READY");
            }

            foreach (var w in workers)
            {
                await w.StandardInput.WriteLineAsync("GO");
                await w.StandardInput.FlushAsync();
            }

            var reports = new List<string[]>();
            foreach (var w in workers)
            {
                reports.Add((await WaitForLineAsync(w, "RESULT")).Split(' '));
                await w.WaitForExitAsync();
            }

            var seconds = reports.Max(r => double.Parse(r[2], CultureInfo.InvariantCulture));
            var done = reports.Sum(r => long.Parse(r[1], CultureInfo.InvariantCulture));
            var rate = done / seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {done} activities in {seconds:0.00} s = {rate:0} activities/s; per instance p50/p99 ms: {string.Join(", ", reports.Select(r => r[3] + "/" + r[4]))}; CPU ms: {string.Join(", ", reports.Select(r => r[5]))}"));
            return rate;
        }
        finally
        {
            foreach (var w in workers)
            {
                if (!w.HasExited)
                {
                    w.Kill(entireProcessTree: true);
                }

                w.Dispose();
            }

            if (dropDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecAsync(admin, $"DROP DATABASE IF EXISTS {dropDatabase} WITH (FORCE)");
            }
        }
    }

    /// <summary>One instance: warm up, print READY, wait for GO on stdin, run its share of the conversations, print RESULT.</summary>
    public static async Task<int> WorkerAsync(string[] args)
    {
        var (provider, connection) = (args[0], args[1]);
        var shard = int.Parse(args[2], CultureInfo.InvariantCulture);
        var shards = int.Parse(args[3], CultureInfo.InvariantCulture);
        var total = int.Parse(args[4], CultureInfo.InvariantCulture);
        var conversations = int.Parse(args[5], CultureInfo.InvariantCulture);
        var services = PipelineThroughput.BotServices("FULL", new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:ConnectionString"] = connection,
            ["Pipeline:MaxParallelConversations"] = Environment.GetEnvironmentVariable("CCBOT_BENCH_LANES") ?? "64",
        });
        if (Environment.GetEnvironmentVariable("CCBOT_BENCH_ECHO") == "1")
        {
            services.AddSingleton<ITurnHandler, EchoHandler>();
        }

        await using var sp = services.BuildServiceProvider();
        var inbox = sp.GetRequiredService<IInbox>();
        _ = sp.GetRequiredService<NluEngineHolder>().Current;
        await PipelineThroughput.RunLoadAsync(inbox, 1_000, 50, $"warm{shard}");
        Console.WriteLine("READY");
        if (Console.ReadLine() != "GO")
        {
            return 1;
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var latencies = await PipelineThroughput.RunLoadAsync(inbox, total / shards, conversations / shards, $"s{shard}");
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {latencies.Length} {seconds:0.000} {latencies[latencies.Length / 2]:0.0} {latencies[(int)(latencies.Length * 0.99)]:0.0} {cpu.TotalMilliseconds:0}"));
        return 0;
    }

    private sealed class EchoHandler : ITurnHandler
    {
        public Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            turn.Reply("ok");
            return Task.CompletedTask;
        }
    }

    private static Process StartWorker(string provider, string connection, int shard, int shards, int total, int conversations)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ScaleOutThroughput).Assembly.Location);
        }

        foreach (var a in new[] { "scaleout-worker", provider, connection, shard.ToString(CultureInfo.InvariantCulture), shards.ToString(CultureInfo.InvariantCulture), total.ToString(CultureInfo.InvariantCulture), conversations.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    private static async Task<string> WaitForLineAsync(Process worker, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        while (await worker.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"The worker exited (code {worker.ExitCode}) before printing {prefix}");
    }

    private static async Task ExecAsync(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
