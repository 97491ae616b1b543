using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Limits;

/// <summary>Floods get 429 with Retry-After and leave nothing behind; what was let through is counted.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_token_flood_from_one_address_gets_429_and_creates_no_conversation_beyond_the_limit()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["RateLimits:TokensPerMinute"] = "40" });

        var statuses = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;
        for (var i = 0; i < 100; i++)
        {
            using var response = await host.Http.PostAsync("directline/token", null);
            statuses.Add(response.StatusCode);
            retryAfter ??= response.Headers.RetryAfter?.Delta;
        }

        var accepted = statuses.Count(s => s == HttpStatusCode.OK);
        accepted.Should().BeInRange(10, 14, "a burst of a quarter of 40/min, plus what refills during the flood");
        statuses.Count(s => s == HttpStatusCode.TooManyRequests).Should().Be(100 - accepted);
        retryAfter.Should().NotBeNull().And.BeGreaterThan(TimeSpan.Zero);
        Count(host, "SELECT COUNT(*) FROM directline_conversations").Should().Be(accepted, "a refused request stores nothing");
    }

    [Fact]
    public async Task A_message_flood_in_one_conversation_gets_429_and_only_what_was_let_through_is_stored()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["RateLimits:ActivitiesPerMinute"] = "40", ["DirectLine:PostWaitSeconds"] = "0" });
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            using var response = await dl.PostRawAsync("{\"type\":\"message\",\"text\":\"tin " + i + "\",\"from\":{\"id\":\"x\"}}");
            statuses.Add(response.StatusCode);
        }

        var accepted = statuses.Count(s => s == HttpStatusCode.OK);
        accepted.Should().BeInRange(10, 14);
        statuses.Count(s => s == HttpStatusCode.TooManyRequests).Should().Be(60 - accepted);
        Count(host, $"SELECT COUNT(*) FROM transcript WHERE inbound = 1 AND conversation_key = 'directline:{dl.ConversationId}' AND kind = 'Message'")
            .Should().Be(accepted);

        var other = new DirectLineClient(host.Http);
        await other.StartAsync();
        (await other.PostRawAsync("""{"type":"message","text":"xin chào","from":{"id":"y"}}""")).StatusCode.Should().Be(HttpStatusCode.OK,
            "the limit is per conversation");
    }

    [Fact]
    public async Task Forwarded_addresses_count_only_from_a_trusted_proxy()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["RateLimits:TokensPerMinute"] = "4" });

        // Not a trusted proxy: X-Forwarded-For is ignored, every request is the same client (127.0.0.1).
        var spoofed = await TokensForwardedForAsync(host, "203.0.113.");

        spoofed.Should().Contain(HttpStatusCode.TooManyRequests, "a client cannot pick a new address per request");

        await using var proxied = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:TokensPerMinute"] = "4",
            ["RateLimits:TrustedProxies:0"] = "127.0.0.1",
        });
        var viaProxy = await TokensForwardedForAsync(proxied, "203.0.113.");

        viaProxy.Should().OnlyContain(s => s == HttpStatusCode.OK, "behind a trusted proxy each forwarded client has its own limit");

        await using var network = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:TokensPerMinute"] = "4",
            ["RateLimits:TrustedNetworks:0"] = "127.0.0.0/8",
        });
        var viaNetwork = await TokensForwardedForAsync(network, "198.51.100.");

        viaNetwork.Should().OnlyContain(s => s == HttpStatusCode.OK, "a proxy inside a trusted network counts as trusted");
    }

    [Fact]
    public async Task Console_sign_in_is_limited_per_address()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["RateLimits:SignInPerMinute"] = "8" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await host.Http.GetAsync("console/login")).StatusCode);
        }

        statuses.Take(2).Should().OnlyContain(s => s == HttpStatusCode.OK);
        statuses.Should().Contain(HttpStatusCode.TooManyRequests);
    }

    /// <summary>Five token requests, each with X-Forwarded-For naming another client (<paramref name="prefix"/>0 to 4).</summary>
    private static async Task<List<HttpStatusCode>> TokensForwardedForAsync(TestHost host, string prefix)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "directline/token");
            request.Headers.Add("X-Forwarded-For", prefix + i);
            statuses.Add((await host.Http.SendAsync(request)).StatusCode);
        }

        return statuses;
    }

    private static long Count(TestHost host, string sql)
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={host.DatabasePath}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }
}
