using CcBot.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Infrastructure;

/// <summary>
/// The real web host on a free loopback port with its own SQLite file, for tests over real HTTP.
/// Dispose stops it; the database file stays in <see cref="DataFolder"/> until the folder is deleted.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private TestHost(WebApplication app, string dataFolder)
    {
        App = app;
        DataFolder = dataFolder;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public string DataFolder { get; }

    public string DatabasePath => Path.Combine(DataFolder, "ccbot.db");

    public IServiceProvider Services => App.Services;

    /// <summary>Starts a host. <paramref name="dataFolder"/> lets a restart test reuse the same database.</summary>
    public static async Task<TestHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        string? dataFolder = null,
        Action<WebApplicationBuilder>? configure = null,
        int port = 0,
        bool waitForClassifier = true)
    {
        dataFolder ??= NewDataFolder();
        var args = new List<string>
        {
            $"--urls=http://127.0.0.1:{port}",
            $"--Storage:DataFolder={dataFolder}",
            $"--Storage:ConnectionString=Data Source={Path.Combine(dataFolder, "ccbot.db")}",
            $"--Content:Root={RepoPaths.Root}",
            "--Logging:LogLevel:Default=Warning",
            "--Storage:Synchronous=NORMAL",
            $"--Nlu:ModelFile={SharedModelFile}",
            // The console tests sign in dozens of times a minute from 127.0.0.1; the sign-in limit itself is tested in RateLimitTests.
            "--RateLimits:SignInPerMinute=100000",
            // Most tests read the reply right after their POST: the POST waits for the turn here. The default (answer on
            // store, DirectLine:PostWaitSeconds=0) is tested in DirectLineAckOnStoreTests.
            "--DirectLine:PostWaitSeconds=10",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            args.Add($"--{k}={v}");
        }

        var app = BotHost.Build([.. args], configure);
        await app.StartAsync();
        if (waitForClassifier)
        {
            // The host loads the classifier in the background; tests that read /readyz or the engine right after start
            // want it loaded (the wait itself is tested in NluStartupTests).
            await app.Services.GetRequiredService<CcBot.Core.Nlu.NluEngineHolder>().FirstAttempt.WaitAsync(TimeSpan.FromMinutes(3));
        }

        return new TestHost(app, dataFolder);
    }

    /// <summary>One trained model for all test hosts (trained by the first, loaded by the others).</summary>
    public static string SharedModelFile { get; } = Path.Combine(Path.GetTempPath(), "ccbot-tests", "nlu-model.zip");

    public static string NewDataFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ccbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Finds the repository root (the folder with CcBot.sln).</summary>
public static class RepoPaths
{
    public static string Root => CcBot.Testing.TestRepo.Root;
}

/// <summary>A clock tests move by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan by) => _now += by;
}
