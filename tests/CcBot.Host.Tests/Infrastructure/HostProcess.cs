using System.Diagnostics;
using System.Net.Sockets;

namespace CcBot.Host.Tests.Infrastructure;

/// <summary>
/// The host as a real child process (<c>dotnet CcBot.Host.dll</c>) on a loopback port, configured through
/// environment variables as an operator would. Killed hard by <see cref="Kill"/> or on dispose; its output is kept
/// for failure messages.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly StringWriter _log = new();

    private HostProcess(Process process, int port)
    {
        Process = process;
        Port = port;
    }

    public Process Process { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the host with the test defaults (content from the repository, the shared NLU model, warnings only) plus <paramref name="environment"/>.</summary>
    public static HostProcess Start(IReadOnlyDictionary<string, string> environment)
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
        info.Environment["Content__Root"] = RepoPaths.Root;
        info.Environment["Nlu__ModelFile"] = TestHost.SharedModelFile;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DirectLine__PostWaitSeconds"] = "10"; // as TestHost: tests read replies right after their POST
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var host = new HostProcess(process, port);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Starts the host and waits until <c>/healthz</c> answers 200.</summary>
    public static async Task<HostProcess> StartHealthyAsync(IReadOnlyDictionary<string, string> environment)
    {
        var host = Start(environment);
        try
        {
            await host.WaitHealthyAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    public async Task WaitHealthyAsync(int seconds = 90)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException("The host exited: " + Log);
            }

            try
            {
                if ((await http.GetAsync(BaseUrl + "/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The host did not become healthy: " + Log);
    }

    /// <summary>Kills the process at once (no graceful shutdown), as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }

        Process.Dispose();
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
