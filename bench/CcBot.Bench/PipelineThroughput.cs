using System.Diagnostics;
using ActivityKind = CcBot.Core.Activities.ActivityKind;
using System.Globalization;
using CcBot.Core;
using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Quiz;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CcBot.Bench;

/// <summary>
/// Issue 2's floor: N activities from many conversations through the full pipeline (inbox, dedupe, SQLite
/// persistence of every inbound and outbound message, router with the real classifier and contest answers),
/// in one process, no network. Prints activities/s and p50/p99 turn latency.
/// Usage: <c>dotnet run -c Release --project bench/CcBot.Bench -- pipeline [activities] [conversations] [synchronous] [full|echo] [plain|otel|otel-sampled|traces|metrics]</c>;
/// <c>echo</c> swaps the router for a one-line handler to show what storage and scheduling alone cost; <c>otel</c> runs
/// with the OpenTelemetry SDK recording every span and the metrics (<see cref="TelemetryOverhead"/>).
/// </summary>
public static class PipelineThroughput
{
    private static readonly string[] Texts =
    [
        "Hạn cuối cuộc thi Hải Dương là khi nào?",
        "so dien thoai ban thu ky khanh hoa",
        "gửi video qua đâu",
        "link thi hải phòng",
        "/help",
        "cảm ơn bạn nhé",
    ];

    private static readonly string[] Buttons = ["schedule", "contact", "rules", "submission", "menu"];

    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var conversations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        var synchronous = args.Length > 2 ? args[2] : "FULL";
        var echo = args.Length > 3 && args[3] == "echo";
        var mode = args.Length > 4 ? args[4] : "plain";
        var otel = mode is "otel" or "traces" or "metrics" or "otel-sampled";
        using var telemetry = otel ? new TelemetryOverhead(traces: mode != "metrics", metrics: mode != "traces", sampleRatio: mode == "otel-sampled" ? 0.1 : 1.0) : null;
        var services = BotServices(synchronous);
        if (echo)
        {
            services.AddSingleton<ITurnHandler, EchoHandler>();
        }

        await using var provider = await StartAsync(services);
        var inbox = provider.GetRequiredService<IInbox>();

        // Warm-up (JIT, model, first writes) outside the measurement.
        await RunLoadAsync(inbox, 2_000, 100, "warm");

        var db = provider.GetRequiredService<CcBot.Core.Storage.SqliteDatabase>();
        var statsBefore = db.WriterStats;
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var latencies = await RunLoadAsync(inbox, total, conversations, "run");
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var stats = db.WriterStats;
        var batches = stats.Batches - statsBefore.Batches;
        var writes = stats.Writes - statsBefore.Writes;
        var busy = (stats.Busy - statsBefore.Busy).TotalSeconds;

        Array.Sort(latencies);
        var p50 = latencies[latencies.Length / 2];
        var p99 = latencies[(int)(latencies.Length * 0.99)];
        var stored = Count(provider, "SELECT COUNT(*) FROM transcript WHERE seq > 0");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pipeline{(echo ? " (echo handler)" : string.Empty)}{(otel ? $" (OpenTelemetry {mode})" : string.Empty)}: {total} activities, {conversations} conversations, synchronous={synchronous}: {total / seconds:0} activities/s, p50 {p50:0.00} ms, p99 {p99:0.00} ms, {stored} transcript rows stored; writer: {batches} commits, {(double)writes / Math.Max(1, batches):0.0} writes/commit, busy {100 * busy / seconds:0}% of the run; CPU {cpu.TotalMicroseconds / total:0} µs/activity"));
        return 0;
    }

    internal static async Task<double[]> RunLoadAsync(IInbox inbox, int total, int conversations, string prefix)
    {
        var latencies = new double[total];
        var perConversation = total / conversations;
        var tasks = new Task[conversations];
        for (var c = 0; c < conversations; c++)
        {
            var conversation = c;
            tasks[c] = Task.Run(async () =>
            {
                var reference = new ConversationReference("bench", $"{prefix}-{conversation}", $"u{conversation}", "Người thử");
                for (var i = 0; i < perConversation; i++)
                {
                    var n = (conversation * perConversation) + i;
                    var button = i % 2 == 1;
                    var activity = new InboundActivity
                    {
                        Channel = "bench",
                        Id = $"{prefix}-{conversation}-{i}",
                        Kind = button ? ActivityKind.ButtonClick : ActivityKind.Message,
                        From = reference,
                        Text = button ? null : Texts[n % Texts.Length],
                        Value = button ? Buttons[n % Buttons.Length] : null,
                        Timestamp = DateTimeOffset.UtcNow,
                    };
                    var t0 = Stopwatch.GetTimestamp();
                    var receipt = await inbox.SubmitAsync(activity, CancellationToken.None);
                    await receipt.Handled;
                    latencies[n] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                }
            });
        }

        await Task.WhenAll(tasks);
        return latencies[..(perConversation * conversations)];
    }

    /// <summary>The router alone, single-threaded, no storage: microseconds per turn for each kind of message.</summary>
    public static async Task<int> RouterOnlyAsync()
    {
        await using var provider = await StartAsync(BotServices("NORMAL"));
        var handler = provider.GetRequiredService<ITurnHandler>();
        var reference = new ConversationReference("bench", "c", "u", "Người thử");
        foreach (var (text, value) in Texts.Select(t => (t, (string?)null)).Concat(Buttons.Select(b => ((string?)null, (string?)b)).Select(x => (x.Item1!, x.Item2))))
        {
            var activity = new InboundActivity
            {
                Channel = "bench", Id = "x", Kind = value is null ? ActivityKind.Message : ActivityKind.ButtonClick, From = reference,
                Text = text, Value = value, Timestamp = DateTimeOffset.UtcNow,
            };
            const int n = 2000;
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
            {
                var state = new ConversationState { ContestId = "hai-duong-2024" };
                var turn = new TurnContext(activity, state, new UserProfile { Channel = "bench", ChannelUserId = "u" }, DateTimeOffset.UtcNow);
                await handler.HandleAsync(turn, CancellationToken.None);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value ?? text,-45} {Stopwatch.GetElapsedTime(t0).TotalMicroseconds / n,8:0.0} µs/turn"));
        }

        return 0;
    }

    /// <summary>The bot's services built, with the classifier loaded.</summary>
    internal static async Task<ServiceProvider> StartAsync(ServiceCollection services)
    {
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<NluEngineLoader>().LoadAsync(default);
        return provider;
    }

    /// <summary>The bot's services (pipeline, classifier, contests, quiz) on a fresh SQLite file in a temp folder.</summary>
    internal static ServiceCollection BotServices(string synchronous, IDictionary<string, string?>? storage = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ccbot-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataFolder"] = folder,
            ["Storage:Synchronous"] = synchronous,
            ["Pipeline:MaxParallelConversations"] = "64",
        };
        foreach (var (key, value) in storage ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddCcBotCore(configuration, AppContext.BaseDirectory)
            .AddCcBotNlu(configuration, AppContext.BaseDirectory)
            .AddCcBotContests(configuration)
            .AddCcBotQuiz(configuration);
        return services;
    }

    private sealed class EchoHandler : ITurnHandler
    {
        public Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            turn.Reply("ok");
            return Task.CompletedTask;
        }
    }

    private static long Count(IServiceProvider provider, string sql)
    {
        using var conn = provider.GetRequiredService<CcBot.Core.Storage.SqliteDatabase>().OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }
}
