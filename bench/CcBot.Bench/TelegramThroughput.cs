using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CcBot.Core;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Contests;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Host.Tests.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CcBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/CcBot.Bench -- telegram [UPDATES] [CHATS] [FULL|NORMAL] [RATE]</c>:
/// the bot (pipeline, router, SQLite storage, Telegram adapter in polling mode) against a loopback fake Bot API that
/// serves UPDATES queued updates across CHATS chats through getUpdates, with the rate limits raised out of the way.
/// Reports end-to-end updates/s and latency from "update served by getUpdates" to "its sendMessage received".
/// RATE 0 (default) queues everything up front (saturation: latency is mostly queueing); RATE &gt; 0 offers that many updates/s.
/// </summary>
public static class TelegramThroughput
{
    public static int Run(string[] args)
    {
        var updates = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var chats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
        var synchronous = args.Length > 2 ? args[2] : "FULL";
        var rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        return RunAsync(updates, chats, synchronous, rate).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int updateCount, int chatCount, string synchronous, int rate)
    {
        var root = FindRepoRoot();
        var folder = Path.Combine(Path.GetTempPath(), "ccbot-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var fake = await FakeBotApi.StartAsync();
        fake.Record = false;

        var served = new ConcurrentDictionary<long, ConcurrentQueue<long>>();
        var latencies = new ConcurrentBag<double>();
        var firstServed = 0L;
        var lastSent = 0L;
        var sentCount = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new ConcurrentDictionary<long, bool>();
        fake.OnServed = (update, _) =>
        {
            var id = FakeBotApi.IdOf(update);
            if (!seen.TryAdd(id, true))
            {
                return; // served again before being confirmed: keep the first time
            }

            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref firstServed, now, 0);
            var chat = long.Parse(update["message"]!["chat"]!["id"]!.ToJsonString(), CultureInfo.InvariantCulture);
            served.GetOrAdd(chat, _ => new ConcurrentQueue<long>()).Enqueue(now);
        };
        fake.OnSent = call =>
        {
            var now = Stopwatch.GetTimestamp();
            if (served.TryGetValue(call.ChatId, out var q) && q.TryDequeue(out var at))
            {
                latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
            }

            Interlocked.Exchange(ref lastSent, now);
            if (Interlocked.Increment(ref sentCount) == updateCount)
            {
                done.TrySetResult();
            }
        };

        var settings = new Dictionary<string, string?>
        {
            ["Content:Root"] = root,
            ["Storage:DataFolder"] = folder,
            ["Storage:ConnectionString"] = "Data Source=" + Path.Combine(folder, "ccbot.db"),
            ["Storage:Synchronous"] = synchronous,
            ["Telegram:BotToken"] = FakeBotApi.Token,
            ["Telegram:ApiBaseUrl"] = fake.BaseUrl,
            ["Telegram:PollTimeoutSeconds"] = "1",
            ["Telegram:GlobalRatePerSecond"] = "100000",
            ["Telegram:PerChatInterval"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.Combine(root, "src", "CcBot.Host") });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCcBotCore(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddHostedService<RecoveryService>(); // before the poller, as in the host
        builder.Services.AddCcBotNlu(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddCcBotContests(builder.Configuration);
        builder.Services.AddTelegramChannel(builder.Configuration);
        var app = builder.Build();
        app.MapTelegram();

        // Queue everything first: the poller drains it in batches of 100, as after a busy minute.
        var updates = Enumerable.Range(1, updateCount).Select(i =>
        {
            var chat = 10_000 + (i % chatCount);
            var u = FakeBotApi.TextMessage(chat, i % 10 == 0 ? "/start hai-duong-2024" : "/help", messageId: i);
            u["update_id"] = (long)i;
            return u;
        }).ToList();
        if (rate <= 0)
        {
            fake.EnqueueMany(updates);
        }

        var mode = rate <= 0 ? "all queued up front" : $"offered at {rate:N0} updates/s";
        Console.WriteLine($"Telegram throughput: {updateCount:N0} updates across {chatCount:N0} chats, {mode}, SQLite synchronous={synchronous}, {Environment.ProcessorCount} cores");
        var wall = Stopwatch.StartNew();
        await app.StartAsync();
        if (rate > 0)
        {
            _ = Task.Run(async () =>
            {
                var clock = Stopwatch.StartNew();
                var next = 0;
                while (next < updates.Count)
                {
                    var due = (int)Math.Min(updates.Count, clock.Elapsed.TotalSeconds * rate);
                    for (; next < due; next++)
                    {
                        fake.Enqueue(updates[next]);
                    }

                    await Task.Delay(5);
                }
            });
        }

        var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMinutes(10)));
        wall.Stop();
        await app.StopAsync();
        await app.DisposeAsync();
        if (finished != done.Task)
        {
            Console.WriteLine($"Timed out: {sentCount:N0} of {updateCount:N0} replies received.");
            return 1;
        }

        var seconds = Stopwatch.GetElapsedTime(firstServed, lastSent).TotalSeconds;
        var sorted = latencies.OrderBy(x => x).ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine($"Replies: {sentCount:N0}; first update served → last reply received: {seconds:F2} s (wall incl. start-up {wall.Elapsed.TotalSeconds:F2} s)");
        Console.WriteLine($"Throughput: {updateCount / seconds:N0} updates/s end to end");
        Console.WriteLine($"Latency (served → sendMessage received): p50 {P(0.50):F1} ms, p90 {P(0.90):F1} ms, p99 {P(0.99):F1} ms, max {sorted[^1]:F1} ms");
        try
        {
            Directory.Delete(folder, true);
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CcBot.sln")))
            {
                return dir.FullName;
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CcBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from the repository (CcBot.sln not found).");
    }
}
