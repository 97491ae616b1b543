using System.Globalization;
using System.Text.Json;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Dapper;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Health;

/// <summary>Limits of the readiness check (<c>Health</c> section).</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Unsent replies (pending or being retried) on channels that are on, above which the instance is not ready.</summary>
    public int MaxUnsentReplies { get; set; } = 500;

    /// <summary>Age of the oldest unsent reply, in seconds, above which the instance is not ready.</summary>
    public int MaxUnsentReplyAgeSeconds { get; set; } = 600;

    /// <summary>How long Telegram polling may stay without an answer before the instance is not ready.</summary>
    public int TelegramQuietSeconds { get; set; } = 60;

    /// <summary>Outbox messages (reminders, broadcasts) due now and not yet sent, above which the instance is not ready.</summary>
    public int MaxOutboxBacklog { get; set; } = 50_000;

    /// <summary>How long, in seconds, the oldest due outbox message may have waited before the instance is not ready.</summary>
    public int MaxOutboxWaitSeconds { get; set; } = 3_600;
}

/// <summary>
/// <c>/healthz</c>: liveness (the process serves). <c>/readyz</c>: readiness: the database is reachable and migrated, the
/// classifier is loaded, Telegram (when on) answers and accepts the token, and unsent replies stay under
/// <see cref="HealthOptions"/>. A failing check answers 503 naming it; the body never carries a secret.
/// </summary>
public static class Readiness
{
    public const string Tag = "ready";

    public static IServiceCollection AddCcBotHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.Section))
            .Validate(o => o.MaxUnsentReplies > 0 && o.MaxUnsentReplyAgeSeconds > 0 && o.TelegramQuietSeconds > 0 && o.MaxOutboxBacklog > 0 && o.MaxOutboxWaitSeconds > 0,
                "Health: limits must be positive.")
            .ValidateOnStart();
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Tag])
            .AddCheck<ClassifierCheck>("classifier", tags: [Tag])
            .AddCheck<UnsentRepliesCheck>("unsent-replies", tags: [Tag])
            .AddCheck<OutboxBacklogCheck>("outbox", tags: [Tag]);
        if (!string.IsNullOrWhiteSpace(configuration["Telegram:BotToken"]))
        {
            checks.AddCheck<TelegramCheck>("telegram", tags: [Tag]);
        }

        if (!string.IsNullOrWhiteSpace(configuration["BotFramework:AppId"]) && !string.IsNullOrWhiteSpace(configuration["BotFramework:AppPassword"]))
        {
            checks.AddCheck<TeamsTokenCheck>("teams", tags: [Tag]);
        }

        if (!string.IsNullOrWhiteSpace(configuration["Zalo:AppId"]))
        {
            checks.AddCheck<ZaloTokenCheck>("zalo", tags: [Tag]);
        }

        return services;
    }

    public static void MapCcBotHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (http, _) => http.Response.WriteAsJsonAsync(new { status = "ok" }),
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(Tag),
            ResponseWriter = WriteAsync,
        });
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status == HealthStatus.Healthy ? "ready" : "not ready",
            failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToArray(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}

/// <summary>The database answers a fresh connection (not a pooled one) and its schema is migrated.</summary>
internal sealed class DatabaseCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            long migrations;
            if (services.UsesPostgres())
            {
                await using var conn = await services.GetRequiredService<PostgresDatabase>().OpenConnectionAsync(cancellationToken);
                migrations = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_migrations", cancellationToken: cancellationToken));
            }
            else
            {
                var builder = new SqliteConnectionStringBuilder(services.GetRequiredService<SqliteDatabase>().ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
                await using var conn = new SqliteConnection(builder.ToString());
                await conn.OpenAsync(cancellationToken);
                migrations = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_migrations", cancellationToken: cancellationToken));
            }

            return migrations > 0 ? HealthCheckResult.Healthy($"{migrations} migrations applied") : HealthCheckResult.Unhealthy("database not migrated");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException)
        {
            // The exception type only: its message may name paths or hosts.
            return HealthCheckResult.Unhealthy("database unreachable (" + ex.GetType().Name + ")");
        }
    }
}

/// <summary>The intent classifier is loaded (without it the bot routes by keywords only).</summary>
internal sealed class ClassifierCheck(NluEngineHolder holder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(holder.Loaded is not null ? HealthCheckResult.Healthy("loaded") : HealthCheckResult.Unhealthy("classifier not loaded: keywords only"));
}

/// <summary>Telegram answers the bot and accepts its token.</summary>
internal sealed class TelegramCheck(TelegramHealth health, IOptions<TelegramOptions> telegram, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (healthy, description) = health.Check(telegram.Value.IsWebhook, TimeSpan.FromSeconds(options.Value.TelegramQuietSeconds));
        return Task.FromResult(healthy ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
    }
}

/// <summary>The Bot Framework token endpoint issues the bot's token (cached; fetched again five minutes before expiry).</summary>
internal sealed class TeamsTokenCheck(CcBot.Core.Channels.BotFramework.BotFrameworkTokenProvider tokens) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await tokens.GetTokenAsync(cancellationToken) is { Length: > 0 }
                ? HealthCheckResult.Healthy("token obtained")
                : HealthCheckResult.Unhealthy("no token");
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("token endpoint refused or unreachable (" + ex.GetType().Name + ")");
        }
    }
}

/// <summary>The Zalo OA access token is held (renewal has not been refused).</summary>
internal sealed class ZaloTokenCheck(CcBot.Core.Channels.Zalo.ZaloTokens tokens) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var token = await tokens.GetAccessTokenAsync(cancellationToken);
        return token is not null
            ? HealthCheckResult.Healthy("token held")
            : HealthCheckResult.Unhealthy("channel stopped: OA token unavailable (see the log for what to do)");
    }
}

/// <summary>Reminders and broadcasts due now and not yet sent: how many, and how long the oldest has waited.</summary>
internal sealed class OutboxBacklogCheck(ISqlConnections connections, IOptions<HealthOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        (long Count, object? Oldest) row;
        try
        {
            await using var conn = await connections.OpenAsync(cancellationToken);
            row = await conn.QuerySingleAsync<(long Count, object? Oldest)>(new CommandDefinition(
                "SELECT COUNT(*), MIN(not_before) FROM outbox WHERE status IN ('pending', 'sending') AND not_before <= @now",
                new { now = connections.Time(now) }, cancellationToken: cancellationToken));
        }
        catch (System.Data.Common.DbException)
        {
            return HealthCheckResult.Healthy("not checked: the database check reports the database");
        }
        var waited = row.Oldest is null ? (TimeSpan?)null : now - SqlConnections.ReadTime(row.Oldest);
        var o = options.Value;
        var description = waited is { } w ? $"{row.Count} due, oldest waiting {Math.Max(0, w.TotalSeconds):0} s" : "nothing due";
        return row.Count > o.MaxOutboxBacklog || waited > TimeSpan.FromSeconds(o.MaxOutboxWaitSeconds)
            ? HealthCheckResult.Unhealthy(description)
            : HealthCheckResult.Healthy(description);
    }
}

/// <summary>Replies stored but not yet delivered on channels that are on: how many, and how old the oldest.</summary>
internal sealed class UnsentRepliesCheck(ISqlConnections connections, ChannelSenders senders, IOptions<HealthOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        List<(string Channel, long Count, object Oldest)> rows;
        try
        {
            await using var conn = await connections.OpenAsync(cancellationToken);
            rows = (await conn.QueryAsync<(string Channel, long Count, object Oldest)>(new CommandDefinition(
                "SELECT channel, COUNT(*), MIN(created_at) FROM transcript WHERE NOT inbound AND status IN ('pending', 'retry') GROUP BY channel",
                cancellationToken: cancellationToken))).ToList();
        }
        catch (System.Data.Common.DbException)
        {
            // The checks run side by side: when the database is gone, the database check names it, not every check.
            return HealthCheckResult.Healthy("not checked: the database check reports the database");
        }

        var on = rows.Where(r => !senders.IsOff(r.Channel)).ToList();
        var count = on.Sum(r => r.Count);
        var oldest = on.Count == 0 ? (TimeSpan?)null : clock.GetUtcNow() - on.Min(r => SqlConnections.ReadTime(r.Oldest));
        var o = options.Value;
        var description = oldest is { } age ? $"{count} unsent, oldest {age.TotalSeconds:0} s" : "none unsent";
        return count > o.MaxUnsentReplies || oldest > TimeSpan.FromSeconds(o.MaxUnsentReplyAgeSeconds)
            ? HealthCheckResult.Unhealthy(description)
            : HealthCheckResult.Healthy(description);
    }
}
