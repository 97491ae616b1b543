using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Limits;

/// <summary>
/// Bound from <c>RateLimits</c>: how much one client address, conversation or webhook source may send. The defaults are far
/// above what a participant does (a timed quiz is about one answer every few seconds) and far below a flood.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Web chat tokens and conversation starts per client address per minute (an office behind one NAT included).</summary>
    public int TokensPerMinute { get; set; } = 300;

    /// <summary>Messages and button presses per Direct Line conversation per minute (bursts up to a quarter of it).</summary>
    public int ActivitiesPerMinute { get; set; } = 120;

    /// <summary>File uploads per Direct Line conversation per minute.</summary>
    public int UploadsPerMinute { get; set; } = 20;

    /// <summary>Webhook calls (Telegram, Bot Framework) per source address per second.</summary>
    public int WebhookPerSecond { get; set; } = 200;

    /// <summary>Console sign-in page requests per client address per minute.</summary>
    public int SignInPerMinute { get; set; } = 60;

    /// <summary>Proxies whose <c>X-Forwarded-For</c> is believed (IP addresses); from anyone else the header is ignored.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR form (e.g. a container network <c>172.16.0.0/12</c>, where the proxy's address changes).</summary>
    public string[] TrustedNetworks { get; set; } = [];

    public bool TrustsProxies => TrustedProxies.Length > 0 || TrustedNetworks.Length > 0;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (name, value) in new[] { (nameof(TokensPerMinute), TokensPerMinute), (nameof(ActivitiesPerMinute), ActivitiesPerMinute), (nameof(UploadsPerMinute), UploadsPerMinute), (nameof(WebhookPerSecond), WebhookPerSecond), (nameof(SignInPerMinute), SignInPerMinute) })
        {
            if (value is < 1 or > 1_000_000)
            {
                errors.Add($"RateLimits:{name} must be between 1 and 1000000 (got {value}).");
            }
        }

        foreach (var proxy in TrustedProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            errors.Add($"RateLimits:TrustedProxies: '{proxy}' is not an IP address.");
        }

        foreach (var network in TrustedNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            errors.Add($"RateLimits:TrustedNetworks: '{network}' is not a network in CIDR form (e.g. 10.0.0.0/8).");
        }

        return errors;
    }
}

/// <summary>The rate-limit policies of the public endpoints (ASP.NET Core's rate limiter); over a limit: 429 with Retry-After, nothing stored.</summary>
public static class RateLimits
{
    public const string Tokens = "tokens";
    public const string Activities = "activities";
    public const string Uploads = "uploads";
    public const string Webhooks = "webhooks";
    public const string SignIn = "signin";

    public static IServiceCollection AddCcBotRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.Validate().Count == 0, "RateLimits: invalid settings (limits between 1 and 1000000, TrustedProxies IP addresses, TrustedNetworks CIDR).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            // X-Forwarded-For only from the configured proxies (not even loopback): the client address is the one limited.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds the loopback default and is still consulted
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            o.KnownProxies.Clear();
            foreach (var proxy in limits.Value.TrustedProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in limits.Value.TrustedNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var after = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(Tokens, http => PerMinute("tok:" + Client(http), Options(http).TokensPerMinute));
            o.AddPolicy(SignIn, http => PerMinute("sign:" + Client(http), Options(http).SignInPerMinute));
            o.AddPolicy(Activities, http => PerMinute("act:" + Conversation(http), Options(http).ActivitiesPerMinute));
            o.AddPolicy(Uploads, http => PerMinute("up:" + Conversation(http), Options(http).UploadsPerMinute));
            o.AddPolicy(Webhooks, http =>
            {
                var limit = Options(http).WebhookPerSecond;
                return RateLimitPartition.GetTokenBucketLimiter("hook:" + Client(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limit,
                    TokensPerPeriod = limit,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }

    /// <summary>
    /// The client address as the limiter sees it, then the limiter. X-Forwarded-For is read only with trusted proxies
    /// configured: the forwarded-headers middleware trusts every sender when its proxy lists are empty.
    /// </summary>
    public static IApplicationBuilder UseCcBotRateLimits(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.TrustsProxies)
        {
            app.UseForwardedHeaders();
        }

        return app.UseRateLimiter();
    }

    /// <summary>A token bucket: <paramref name="perMinute"/> a minute on average, bursts up to a quarter of it.</summary>
    private static RateLimitPartition<string> PerMinute(string key, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, perMinute / 4),
            TokensPerPeriod = perMinute >= 60 ? perMinute / 60 : 1,
            ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static RateLimitOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static string Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string Conversation(HttpContext http) =>
        http.Request.RouteValues.TryGetValue("conversationId", out var id) && id is string s ? s : "client:" + Client(http);
}
