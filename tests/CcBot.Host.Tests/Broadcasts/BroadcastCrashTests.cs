using System.Diagnostics;
using System.Net.Sockets;
using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Outbox;
using CcBot.Core.Reminders;
using CcBot.Core.Storage;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;
using Microsoft.Extensions.Logging.Abstractions;

namespace CcBot.Host.Tests.Broadcasts;

/// <summary>The host as a real child process, killed hard in the middle of a broadcast and started again.</summary>
public sealed class BroadcastCrashTests
{
    private const int Recipients = 300;

    [Fact]
    public async Task Host_killed_mid_broadcast_resumes_on_start_and_every_recipient_gets_it_exactly_once()
    {
        await using var fake = await FakeBotApi.StartAsync();
        fake.Record = false;
        var folder = TestHost.NewDataFolder();
        var db = Path.Combine(folder, "ccbot.db");

        using (var first = StartChild(fake, db))
        {
            await WaitHealthyAsync(first);
            BroadcastTestSupport.InsertTelegramRecipients(db, 500_000, Recipients);
            await CreateBroadcastAsync(db);
            await FakeBotApi.WaitUntilAsync(() => fake.DeliveredTotal >= 60, 60, "the first part of the broadcast is sent");

            // Freeze Telegram's side so the kill lands with sends in flight and rows claimed, but not inside the instant between
            // "Telegram accepted the message" and "the row is marked sent" (no Bot API call can be made idempotent to cover that).
            fake.Hold();
            await Task.Delay(200);
            await FakeBotApi.WaitUntilAsync(
                () => TelegramTestSupport.Count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == fake.DeliveredTotal, 15,
                "every message Telegram accepted is marked sent");
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync();
            fake.Release();
        }

        var beforeRestart = fake.DeliveredTotal;
        beforeRestart.Should().BeLessThan(Recipients, "the broadcast was interrupted");
        TelegramTestSupport.Count(db, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')").Should().BeGreaterThan(0);

        using (var second = StartChild(fake, db))
        {
            await WaitHealthyAsync(second);
            await FakeBotApi.WaitUntilAsync(() => fake.DeliveredTotal >= Recipients, 60, "the rest is sent after the restart");
            await FakeBotApi.WaitUntilAsync(() => TelegramTestSupport.Count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == Recipients, 15, "all rows marked sent");
            await Task.Delay(1000);
            second.Process.Kill(entireProcessTree: true);
            await second.Process.WaitForExitAsync();
        }

        fake.Delivered.Should().HaveCount(Recipients);
        fake.Delivered.Should().OnlyContain(kv => kv.Value == 1, "no recipient gets it twice");
        Enumerable.Range(0, Recipients).Select(i => 500_000L + i).Should().OnlyContain(chat => fake.Delivered.ContainsKey(chat), "none is missed");
    }

    private static async Task CreateBroadcastAsync(string dbPath)
    {
        // What `ccbot broadcast create` does: the broadcast and its recipient rows, written to the database the host runs on.
        await using var database = new SqliteDatabase("Data Source=" + dbPath, NullLogger<SqliteDatabase>.Instance);
        database.Initialize(new CoreMigrations().Migrations.Concat(new ReminderMigrations().Migrations));
        var store = new SqliteBroadcastStore(database);
        var (_, count) = await store.CreateAsync(
            new BroadcastDraft("Thông báo thử", [], BroadcastAudience.Everyone, null, DateTimeOffset.UtcNow, "test"),
            new OutboundMessage { Text = "📢 Thông báo thử: kiểm tra gửi đúng một lần." }, DateTimeOffset.UtcNow, default);
        count.Should().Be(Recipients);
    }

    private sealed class Child(Process process, int port, StringWriter log) : IDisposable
    {
        public Process Process { get; } = process;

        public int Port { get; } = port;

        public StringWriter Log { get; } = log;

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }

    private static Child StartChild(FakeBotApi fake, string dbPath)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(HostDll())!,
        };
        info.ArgumentList.Add(HostDll());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["Storage__ConnectionString"] = "Data Source=" + dbPath;
        info.Environment["Storage__Synchronous"] = "NORMAL";
        info.Environment["Content__Root"] = RepoPaths.Root;
        info.Environment["Nlu__ModelFile"] = TestHost.SharedModelFile;
        info.Environment["Telegram__BotToken"] = FakeBotApi.Token;
        info.Environment["Telegram__ApiBaseUrl"] = fake.BaseUrl;
        info.Environment["Telegram__PollTimeoutSeconds"] = "1";
        info.Environment["Telegram__GlobalRatePerSecond"] = "60";
        info.Environment["Telegram__PerChatInterval"] = "00:00:00";
        info.Environment["Outbox__Concurrency"] = "16";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var log = new StringWriter();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(process, port, log);
    }

    private static async Task WaitHealthyAsync(Child child)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (child.Process.HasExited)
            {
                throw new InvalidOperationException("The host exited: " + child.Log);
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{child.Port}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The host did not become healthy: " + child.Log);
    }

    /// <summary>The host built beside the tests (the project reference copies CcBot.Host.dll and its runtimeconfig next to the test assembly).</summary>
    private static string HostDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "CcBot.Host.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "CcBot.Host.runtimeconfig.json")))
        {
            return local;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var built = Path.Combine(RepoPaths.Root, "src", "CcBot.Host", "bin", configuration, "net10.0", "CcBot.Host.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException("CcBot.Host.dll not found", built);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
