using System.Text;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>Registration of the Bot Framework Connector channel (Microsoft Teams, Bot Framework Emulator).</summary>
public static class BotFrameworkServices
{
    public static IServiceCollection AddBotFrameworkChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotFrameworkOptions>().Bind(configuration.GetSection(BotFrameworkOptions.Section))
            .Validate(o => !o.AuthenticationEnabled || Uri.TryCreate(o.OpenIdMetadataUrl, UriKind.Absolute, out _), "BotFramework:OpenIdMetadataUrl must be an absolute URL.")
            .Validate(o => o.ClockSkew >= TimeSpan.Zero && o.ClockSkew <= TimeSpan.FromMinutes(10), "BotFramework:ClockSkew must be between 0 and 10 minutes.")
            .Validate(o => o.MaxSendRetries is >= 0 and <= 10, "BotFramework:MaxSendRetries must be between 0 and 10.")
            .ValidateOnStart();
        services.AddSingleton<IMigrationSource, BotFrameworkMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresBotFrameworkMigrations>();
        services.AddStore<ITrustedServiceUrlStore, SqliteTrustedServiceUrlStore, PostgresTrustedServiceUrlStore>();
        services.AddSingleton<TrustedServiceUrls>();
        services.AddSingleton<ConnectorRateLimiter>();
        services.AddHttpClient(BotFrameworkAuthenticator.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<BotFrameworkAuthenticator>();
        services.AddHttpClient(BotFrameworkTokenProvider.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<ServiceUrlGuard>();
        // Requests go to a caller-supplied serviceUrl: the connect step refuses addresses the bot may not call.
        services.AddHttpClient<ConnectorClient>(c => c.Timeout = TimeSpan.FromSeconds(60))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler { ConnectCallback = sp.GetRequiredService<ServiceUrlGuard>().ConnectAsync });

        // One token cache for the process, shared by both channel senders.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BotFrameworkTokenProvider>(
            sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(BotFrameworkTokenProvider.HttpClientName)));
        var channels = (configuration.GetSection(BotFrameworkOptions.Section).Get<BotFrameworkOptions>() ?? new BotFrameworkOptions()).EffectiveChannels();
        foreach (var channel in channels)
        {
            services.AddSingleton<IChannelSender>(sp => ActivatorUtilities.CreateInstance<BotFrameworkSender>(sp, channel));
        }

        services.AddHostedService<BotFrameworkStartupCheck>();
        return services;
    }

    public static IEndpointRouteBuilder MapBotFramework(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", ReceiveAsync).DisableAntiforgery().RequireRateLimiting(Limits.RateLimits.Webhooks);
        return app;
    }

    /// <summary>Largest accepted activity body.</summary>
    private const int MaxBodyChars = 256 * 1024;

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request,
        IOptions<BotFrameworkOptions> options,
        ServiceUrlGuard guard,
        BotFrameworkAuthenticator authenticator,
        TrustedServiceUrls trusted,
        IInbox inbox,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger("CcBot.Core.Channels.BotFramework");
        if (!options.Value.EndpointOpen)
        {
            return Results.NotFound(); // no app id: the Connector endpoint is closed (BotFramework:EmulatorWithoutAuthentication opens it locally)
        }

        var authOn = options.Value.AuthenticationEnabled;
        if (!authOn && !(request.HttpContext.Connection.RemoteIpAddress is { } remote && System.Net.IPAddress.IsLoopback(remote)))
        {
            return Results.NotFound(); // the unauthenticated Emulator mode serves this machine only
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authOn && string.IsNullOrWhiteSpace(authorization))
        {
            return Unauthorized(logger, "missing Authorization header");
        }

        var bytes = await RequestBody.ReadCharsAsync(request, MaxBodyChars, ct);
        if (bytes is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = Encoding.UTF8.GetString(bytes);
        var json = BotFrameworkWire.TryParse(body);
        if (json is null)
        {
            return Results.BadRequest(new { error = new { code = "BadArgument", message = "The body is not a JSON activity." } });
        }

        var channelId = json["channelId"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? json["channelId"]!.GetValue<string>() : null;
        var serviceUrl = json["serviceUrl"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? json["serviceUrl"]!.GetValue<string>() : null;
        if (!guard.AllowsUrl(serviceUrl))
        {
            logger.LogWarning("Bot Framework activity refused: serviceUrl '{ServiceUrl}' is not an address the bot may call", serviceUrl);
            return Results.BadRequest(new { error = new { code = "BadArgument", message = "serviceUrl is not an address this bot may call." } });
        }

        if (authOn)
        {
            var auth = await authenticator.AuthenticateAsync(authorization, channelId, serviceUrl, ct);
            if (!auth.Succeeded)
            {
                return Unauthorized(logger, auth.Error);
            }

            if (TrustedServiceUrls.Origin(serviceUrl) is null)
            {
                return Results.BadRequest(new { error = new { code = "BadArgument", message = "serviceUrl is not an absolute http(s) URL." } });
            }

            await trusted.TrustAsync(serviceUrl!, channelId!, ct);
        }

        if (channelId is null || !options.Value.EffectiveChannels().Contains(channelId, StringComparer.Ordinal))
        {
            logger.LogWarning("Bot Framework activity from channel '{Channel}' ignored: not in BotFramework:Channels", channelId);
            return Results.Ok();
        }

        var (activity, disposition) = BotFrameworkWire.FromWire(json, body, clock.GetUtcNow());
        if (disposition == BotFrameworkDisposition.Turn && activity is not null)
        {
            var receipt = await inbox.SubmitAsync(activity, ct);
            logger.LogDebug("Bot Framework activity {Channel}/{Id} accepted as seq {Seq} (duplicate: {Duplicate})", activity.Channel, activity.Id, receipt.Seq, receipt.Duplicate);
        }

        var type = json["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? json["type"]!.GetValue<string>() : null;
        if (type == "invoke")
        {
            var name = json["name"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? json["name"]!.GetValue<string>() : null;
            return name == "adaptiveCard/action"
                ? Results.Json(new { statusCode = 200, type = "application/vnd.microsoft.activity.message", value = "" })
                : Results.Json(new { statusCode = 200 });
        }

        return Results.Ok();
    }

    private static IResult Unauthorized(ILogger logger, string? reason)
    {
        logger.LogWarning("Bot Framework request refused (401): {Reason}", reason);
        return Results.Json(new { error = new { code = "Unauthorized", message = "Authentication failed." } }, statusCode: StatusCodes.Status401Unauthorized);
    }
}

/// <summary>Logs loudly when the channel runs without authentication.</summary>
internal sealed class BotFrameworkStartupCheck(IOptions<BotFrameworkOptions> options, ILogger<BotFrameworkStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.AuthenticationEnabled && o.EmulatorWithoutAuthentication)
        {
            logger.LogWarning(
                "WARNING: BotFramework:EmulatorWithoutAuthentication is on: POST /api/messages accepts UNAUTHENTICATED requests from this machine " +
                "and replies only to a loopback serviceUrl (Bot Framework Emulator, local testing only).");
        }
        else if (!o.AuthenticationEnabled)
        {
            logger.LogInformation("BotFramework:AppId is not configured: the Teams channel is off and POST /api/messages answers 404.");
        }
        else if (string.IsNullOrWhiteSpace(o.AppPassword))
        {
            logger.LogWarning("BotFramework:AppPassword is empty: replies to Teams will be sent without a token and rejected by the Connector.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
