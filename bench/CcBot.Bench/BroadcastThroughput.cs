using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CcBot.Core;
using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Contests;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Reminders;
using CcBot.Core.Storage;
using CcBot.Host.Tests.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CcBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/CcBot.Bench -- broadcast [RECIPIENTS] [RATE] [FULL|NORMAL]</c>: one broadcast to RECIPIENTS
/// Telegram chats through the durable outbox, the Telegram sender and its limiter (global RATE/s, 1 s per chat), against a loopback
/// fake Bot API that enforces RATE/s itself (a token bucket of one second's worth plus 5 % for loopback jitter; over it: 429).
/// Reports the achieved rate as a fraction of RATE, the 429s provoked, duplicates and losses.
/// </summary>
public static class BroadcastThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var recipients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var synchronous = args.Length > 2 ? args[2] : "FULL";

        var root = FindRepoRoot();
        var folder = Path.Combine(Path.GetTempPath(), "ccbot-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var fake = await FakeBotApi.StartAsync();
        fake.Record = false;
        fake.EnforcedRatePerSecond = rate;
        fake.EnforcedBurst = rate * 1.05;

        var first = 0L;
        var last = 0L;
        var count = 0;
        var steadyFrom = 0L;
        var steadyCount = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.OnSent = _ =>
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref first, now, 0);
            Interlocked.Exchange(ref last, now);
            var n = Interlocked.Increment(ref count);
            if (Interlocked.Read(ref steadyFrom) == 0 && Stopwatch.GetElapsedTime(Interlocked.Read(ref first), now) >= TimeSpan.FromSeconds(2)
                && Interlocked.CompareExchange(ref steadyFrom, now, 0) == 0)
            {
                Volatile.Write(ref steadyCount, n);
            }

            if (n == recipients)
            {
                done.TrySetResult();
            }
        };

        var db = Path.Combine(folder, "ccbot.db");
        var settings = new Dictionary<string, string?>
        {
            ["Content:Root"] = root,
            ["Storage:DataFolder"] = folder,
            ["Storage:ConnectionString"] = "Data Source=" + db,
            ["Storage:Synchronous"] = synchronous,
            ["Telegram:BotToken"] = FakeBotApi.Token,
            ["Telegram:ApiBaseUrl"] = fake.BaseUrl,
            ["Telegram:PollTimeoutSeconds"] = "1",
            ["Telegram:GlobalRatePerSecond"] = rate.ToString(CultureInfo.InvariantCulture),
            ["Telegram:PerChatInterval"] = "00:00:01",
            ["Reminders:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.Combine(root, "src", "CcBot.Host") });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCcBotCore(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddCcBotNlu(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddCcBotContests(builder.Configuration);
        builder.Services.AddCcBotReminders(builder.Configuration);
        builder.Services.AddCcBotBroadcasts(builder.Configuration);
        builder.Services.AddTelegramChannel(builder.Configuration);
        var app = builder.Build();
        await app.StartAsync();

        InsertRecipients(app.Services.GetRequiredService<SqliteDatabase>(), recipients);
        Console.WriteLine($"Broadcast throughput: {recipients:N0} Telegram recipients, limit {rate:N0}/s global and 1 s per chat, SQLite synchronous={synchronous}, {Environment.ProcessorCount} cores");

        var wall = Stopwatch.StartNew();
        var service = app.Services.GetRequiredService<BroadcastService>();
        var (id, rows) = await service.CreateAsync(new BroadcastDraft(
            "Ban Tổ chức thông báo: hạn nộp bài được gia hạn đến 16h30 ngày 20/12/2024.",
            [ReplyButton.Link("Xem thông báo", "https://example.gov.vn/tb-01")], BroadcastAudience.Everyone, null, DateTimeOffset.UtcNow, "bench"), default);
        var created = wall.Elapsed;
        var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(recipients / rate * 3 + 120)));
        wall.Stop();
        await Task.Delay(2000); // let late duplicates (if any) and the last marks land
        var report = (await service.StatusAsync(id, default))!.Value.Report;
        await app.StopAsync();
        await app.DisposeAsync();

        var seconds = Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        var achieved = (count - 1) / seconds;
        var duplicates = fake.Delivered.Values.Count(v => v > 1);
        var extra = fake.Delivered.Values.Sum(v => Math.Max(0, v - 1));
        var losses = Enumerable.Range(0, recipients).Count(i => !fake.Delivered.ContainsKey(1_000_000L + i));
        Console.WriteLine($"Outbox rows created: {rows:N0} in {created.TotalSeconds:F2} s (one transaction)");
        Console.WriteLine(finished == done.Task ? "All delivered." : $"Timed out with {count:N0} delivered.");
        Console.WriteLine($"Delivered: {count:N0}; first → last sendMessage: {seconds:F2} s; wall from create: {wall.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"Achieved rate: {achieved:N1}/s = {achieved / rate:P1} of the {rate:N0}/s limit (from create: {count / wall.Elapsed.TotalSeconds / rate:P1})");
        if (steadyFrom != 0)
        {
            var steady = (count - steadyCount) / Stopwatch.GetElapsedTime(steadyFrom, last).TotalSeconds;
            Console.WriteLine($"Steady state (after the first 2 s, i.e. without the initial one-second burst the limiter allows): {steady:N1}/s = {steady / rate:P1} of the limit");
        }

        Console.WriteLine($"429s provoked: {fake.Provoked429:N0}; duplicates: {duplicates:N0} chats ({extra:N0} extra messages); losses: {losses:N0}");
        Console.WriteLine($"Report: sent {report.Sent:N0}, pending {report.Pending + report.Sending:N0}, failed {report.Failed:N0}, blocked {report.Blocked:N0}");
        try
        {
            Directory.Delete(folder, true);
        }
        catch (IOException)
        {
        }

        return finished == done.Task && duplicates == 0 && losses == 0 ? 0 : 1;
    }

    private static void InsertRecipients(SqliteDatabase database, int count)
    {
        using var conn = database.OpenConnection();
        using var tx = conn.BeginTransaction();
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, created_at, updated_at)
            VALUES ($key, 'telegram', $id, $id, $ref, '2024-12-01T00:00:00Z', '2024-12-01T00:00:00Z')
            """;
        var key = cmd.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
        var id = cmd.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
        var reference = cmd.Parameters.Add("$ref", Microsoft.Data.Sqlite.SqliteType.Text);
        for (var i = 0; i < count; i++)
        {
            var chat = (1_000_000L + i).ToString(CultureInfo.InvariantCulture);
            var r = new ConversationReference("telegram", chat, chat);
            key.Value = r.ConversationKey;
            id.Value = chat;
            reference.Value = JsonSerializer.Serialize(r, PipelineJson.Options);
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
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

        throw new InvalidOperationException("Run from the repository (CcBot.sln not found).");
    }
}
