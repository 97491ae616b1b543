using CcBot.Core;
using CcBot.Core.Channels.BotFramework;
using CcBot.Core.Channels.DirectLine;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Channels.Zalo;
using CcBot.Core.Limits;
using CcBot.Core.Pipeline;
using CcBot.Host.StaffConsole;
using CcBot.Host.Health;
using CcBot.Host.Privacy;

namespace CcBot.Host;

/// <summary>The web host: Direct Line for the chat page, the channel webhooks, health.</summary>
public static class BotHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Core.Text.DialogFileException or Microsoft.Extensions.Options.OptionsValidationException or IOException)
        {
            await Console.Error.WriteLineAsync("CcBot cannot start: " + ex.Message);
            return 1;
        }

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Core.Text.DialogFileException or Microsoft.Extensions.Options.OptionsValidationException or IOException)
        {
            await Console.Error.WriteLineAsync("CcBot stopped: " + ex.Message);
            return 1;
        }
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var contentRoot = HostPaths.ContentRoot();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot, WebRootPath = HostPaths.WebRoot(contentRoot) });
        builder.Services.AddCcBotServices(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddDirectLine(builder.Configuration);
        builder.Services.AddHostedService<StartupCheck>();
        builder.Services.AddHostedService<HostLockService>();
        builder.Services.AddCcBotHealth(builder.Configuration);
        builder.Services.AddCcBotTelemetry(builder.Configuration);
        builder.Services.AddCcBotTracing(builder.Configuration);
        builder.Services.AddStaffConsole(builder.Configuration);
        builder.Services.AddPrivacyDownloads();
        builder.Services.AddCcBotRateLimits(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseCcBotRateLimits();
        app.MapCcBotMetrics();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseCors();
        app.UseStaffConsole();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapDirectLine();
        app.MapTelegram();
        app.MapBotFramework();
        app.MapZalo();
        app.MapPrivacyDownloads();
        app.MapCcBotHealth();
        return app;
    }
}

/// <summary>Resolves the singletons that validate configuration and content, so a bad dialog file or option stops start-up with its message.</summary>
internal sealed class StartupCheck(IServiceProvider services, ILogger<StartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<Core.Text.ITextCatalog>();
        _ = services.GetRequiredService<ITurnHandler>();
        logger.LogInformation("CcBot storage: {Storage}", Core.Storage.StorageProvider.DescribeStorage(services));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Where the host looks for appsettings.json and its data folder.</summary>
public static class HostPaths
{
    /// <summary>The folder holding the host's appsettings.json: the project folder under <c>dotnet run</c>, else the binaries' folder.</summary>
    public static string ContentRoot()
    {
        var cwd = Directory.GetCurrentDirectory();
        if (File.Exists(Path.Combine(cwd, "appsettings.json")))
        {
            return cwd;
        }

        var project = Path.Combine(cwd, "src", "CcBot.Host");
        return File.Exists(Path.Combine(project, "appsettings.json")) ? project : AppContext.BaseDirectory;
    }

    /// <summary>The chat page's folder: <c>wwwroot</c> beside the content root, else the project's (when run from test or bench binaries).</summary>
    public static string? WebRoot(string contentRoot)
    {
        var local = Path.Combine(contentRoot, "wwwroot");
        if (Directory.Exists(local))
        {
            return local;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "CcBot.Host", "wwwroot");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
