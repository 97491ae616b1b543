using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.Telegram;

/// <summary>Registration of the Telegram channel (Bot API adapter). Off — only the options — while Telegram:BotToken is empty.</summary>
public static class TelegramServices
{
    public const string WebhookPath = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>An update is a few KB (a 4,096-character message with its entities and a quoted reply); 1 MB is ample.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    public static IServiceCollection AddTelegramChannel(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TelegramOptions.Section);
        services.AddOptions<TelegramOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();

        // The schema is the same whether or not the channel is on, so `db migrate` and `db copy` see every table.
        services.AddSingleton<IMigrationSource, TelegramMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresTelegramMigrations>();
        services.AddSqlConnections();
        services.AddSingleton<TelegramDeadLetterStore>();

        var enabled = !string.IsNullOrWhiteSpace(section["BotToken"]);
        if (!enabled)
        {
            return services;
        }

        // No HttpClient request logging: every Bot API address carries the token (/bot<token>/method), and at the default
        // Information level it wrote four lines with it per call. Failures are logged by the poller and the sender, without it.
        services.AddHttpClient<TelegramApiClient>().RemoveAllLoggers();
        services.AddSingleton<TelegramBotIdentity>();
        services.AddSingleton<TelegramHealth>();
        services.AddSingleton<TelegramRateLimiter>();
        services.TryAddSingleton<Outbox.PostgresRateLimiter>();
        // Telegram's global limit (Telegram:GlobalRatePerSecond) holds for all instances together on PostgreSQL.
        services.AddKeyedSingleton(TelegramUpdateMapper.Channel, (sp, _) => new Outbox.SharedChannelRate(
            TelegramUpdateMapper.Channel,
            sp.GetRequiredService<IOptions<TelegramOptions>>().Value.GlobalRatePerSecond,
            sp.UsesPostgres() ? sp.GetRequiredService<Outbox.PostgresRateLimiter>() : null,
            sp.GetRequiredService<TimeProvider>()));
        services.AddStore<ITelegramCallbackStore, SqliteTelegramCallbackStore, PostgresTelegramCallbackStore>();
        services.AddSingleton<TelegramCallbacks>();
        services.AddSingleton<TelegramUpdateProcessor>();
        services.AddSingleton<TelegramTurnWindow>();
        services.AddSingleton<IChannelSender, TelegramSender>();
        services.AddHostedService<TelegramStartup>();
        if (!string.Equals(section["Mode"], "webhook", StringComparison.OrdinalIgnoreCase))
        {
            services.AddHostedService<TelegramPoller>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapTelegram(this IEndpointRouteBuilder app)
    {
        var o = app.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value;
        if (o.Enabled && o.IsWebhook)
        {
            app.MapPost(WebhookPath, ReceiveAsync).RequireRateLimiting(Limits.RateLimits.Webhooks);
        }

        return app;
    }

    /// <summary>
    /// Webhook: constant-time secret check (401, nothing stored), JSON parse (400), store through the inbox, 200 at once.
    /// Any non-2xx makes Telegram re-send; the inbox de-duplicates by update_id.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(HttpRequest request, IOptions<TelegramOptions> options, TelegramUpdateProcessor processor,
        TelegramDeadLetterStore deadLetters, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var expected = Encoding.UTF8.GetBytes(options.Value.SecretToken ?? "");
        var given = Encoding.UTF8.GetBytes(request.Headers[SecretHeader].ToString());
        if (expected.Length == 0 || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return Results.Unauthorized();
        }

        global::Telegram.Bot.Types.Update? update;
        var bytes = await RequestBody.ReadAsync(request, MaxBodyBytes, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var raw = Encoding.UTF8.GetString(bytes);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes); // parsed once: the update id and the update come from the same document
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        using (document)
        {
            var root = document.RootElement;
            long? id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("update_id", out var idElement) && idElement.TryGetInt64(out var n) && n > 0
                ? n
                : null;
            string? error = null;
            update = TelegramApiClient.Read(id ?? 0, root, e => error = e);
            if (update is null && error is not null)
            {
                // An update Telegram sent that does not match the Bot API types: set aside and confirmed (a non-2xx would
                // make Telegram send it again and again, ahead of the updates behind it). A body that is not an update at all: 400.
                if (id is not { } deadId)
                {
                    return Results.BadRequest();
                }

                await deadLetters.AddAsync(deadId, raw, "unreadable update: " + error, 1, clock.GetUtcNow(), ct).ConfigureAwait(false);
                loggers.CreateLogger(typeof(TelegramServices)).LogError("Telegram update {Id} set aside as a dead letter: {Error}", deadId, error);
                return Results.Ok();
            }
        }

        if (update is null || update.Id <= 0)
        {
            return Results.BadRequest();
        }

        // Past Telegram:MaxPendingTurns the call waits for a turn to finish before the update is stored and answered:
        // Telegram holds its few webhook connections and keeps the backlog.
        try
        {
            await processor.StoreInWindowAsync(update, raw, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(TelegramServices)).LogError(ex, "Storing Telegram update {Id} failed", update.Id);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        return Results.Ok();
    }

    /// <summary>Reports every configuration problem with its setting name.</summary>
    private sealed class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
    {
        public ValidateOptionsResult Validate(string? name, TelegramOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
