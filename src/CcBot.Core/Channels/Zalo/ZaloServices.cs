using System.Text;
using System.Threading.RateLimiting;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.Zalo;

/// <summary>Registration of the Zalo OA channel. Off (only options and schema) while Zalo:AppId is empty.</summary>
public static class ZaloServices
{
    public const string WebhookPath = "/zalo/webhook";

    /// <summary>Largest accepted webhook body (an event is a few hundred bytes; attachments are links).</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public static IServiceCollection AddZaloChannel(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ZaloOptions.Section);
        services.AddOptions<ZaloOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ZaloOptions>, ZaloOptionsValidator>();
        services.AddSingleton<IMigrationSource, ZaloMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresZaloMigrations>();
        services.AddSqlConnections();
        services.AddSingleton<ZaloTokenStore>();
        if (string.IsNullOrWhiteSpace(section["AppId"]))
        {
            return services;
        }

        services.AddDataProtection();
        services.AddHttpClient<ZaloApiClient>(c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<ZaloTokens>();
        services.TryAddSingleton<Outbox.PostgresRateLimiter>();
        services.AddKeyedSingleton(ZaloEvents.Channel, (sp, _) => new Outbox.SharedChannelRate(
            ZaloEvents.Channel,
            sp.GetRequiredService<IOptions<ZaloOptions>>().Value.RatePerSecond,
            sp.UsesPostgres() ? sp.GetRequiredService<Outbox.PostgresRateLimiter>() : null,
            sp.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton<RateLimiter>(ZaloEvents.Channel, (sp, _) =>
        {
            var perSecond = sp.GetRequiredService<IOptions<ZaloOptions>>().Value.RatePerSecond;
            var tokens = Math.Max(1, (int)Math.Ceiling(perSecond));
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = tokens,
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 100_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        });
        services.AddSingleton<IChannelSender, ZaloSender>();
        services.AddHostedService<ZaloTokenRenewer>();
        return services;
    }

    public static IEndpointRouteBuilder MapZalo(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<ZaloOptions>>().Value.Enabled)
        {
            app.MapPost(WebhookPath, ReceiveAsync).DisableAntiforgery().RequireRateLimiting(Limits.RateLimits.Webhooks);
        }

        return app;
    }

    /// <summary>
    /// Webhook: bounded body, parse (400), app id and signature in constant time and a fresh timestamp (401, nothing
    /// stored), then stored through the inbox (a redelivered msg_id is a duplicate there) before the 200.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(HttpRequest request, IOptions<ZaloOptions> options, IInbox inbox, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var o = options.Value;
        var logger = loggers.CreateLogger(typeof(ZaloServices));
        var bytes = await RequestBody.ReadAsync(request, MaxBodyBytes, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var raw = Encoding.UTF8.GetString(bytes);
        var parsed = ZaloEvents.Parse(raw);
        if (parsed is null)
        {
            return Results.BadRequest();
        }

        var signature = request.Headers[ZaloSignature.Header].ToString();
        if (!string.Equals(parsed.AppId, o.AppId, StringComparison.Ordinal)
            || !ZaloSignature.Verify(signature, o.AppId!, raw, parsed.Timestamp, o.OaSecretKey!))
        {
            logger.LogWarning("Zalo webhook refused (401): {Reason}", string.IsNullOrEmpty(signature) ? "no X-ZEvent-Signature" : "signature or app id does not match");
            return Results.Unauthorized();
        }

        var at = ZaloEvents.Time(parsed);
        var now = clock.GetUtcNow();
        if (at is null || now - at.Value > o.MaxEventAge || at.Value - now > o.MaxClockSkew)
        {
            logger.LogWarning("Zalo webhook refused (401): event time {At:u} is outside the accepted window", at);
            return Results.Unauthorized();
        }

        switch (parsed.Disposition)
        {
            case ZaloEventDisposition.Invalid:
                return Results.BadRequest();
            case ZaloEventDisposition.Ignore:
                return Results.Ok();
        }

        var receipt = await inbox.SubmitAsync(parsed.Activity!, ct).ConfigureAwait(false);
        logger.LogDebug("Zalo event {Event} {Id} stored as seq {Seq} (duplicate: {Duplicate})", parsed.EventName, parsed.Activity!.Id, receipt.Seq, receipt.Duplicate);
        return Results.Ok();
    }

    private sealed class ZaloOptionsValidator : IValidateOptions<ZaloOptions>
    {
        public ValidateOptionsResult Validate(string? name, ZaloOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>Loads or seeds the token pair at start, then renews it ahead of expiry (checked every minute).</summary>
public sealed class ZaloTokenRenewer(ZaloTokens tokens, TimeProvider clock, ILogger<ZaloTokenRenewer> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await tokens.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await tokens.EnsureFreshAsync(force: false, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Zalo: checking the access token failed; trying again in {Interval}", CheckInterval);
            }

            try
            {
                await Task.Delay(CheckInterval, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
