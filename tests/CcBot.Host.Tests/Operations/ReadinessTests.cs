using System.Net;
using System.Text.Json.Nodes;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;

namespace CcBot.Host.Tests.Operations;

/// <summary><c>/healthz</c> (liveness) and <c>/readyz</c> (readiness) of a host on the fake Telegram Bot API.</summary>
public sealed class ReadinessTests
{
    private static async Task<(HttpStatusCode Status, JsonObject Body)> ReadyAsync(TestHost host)
    {
        using var response = await host.Http.GetAsync("readyz");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static async Task<JsonObject> UntilAsync(TestHost host, HttpStatusCode status, string because)
    {
        JsonObject body = [];
        await FakeBotApi.WaitUntilAsync(async () =>
        {
            var (s, b) = await ReadyAsync(host);
            body = b;
            return s == status;
        }, 30, because);
        return body;
    }

    [Fact]
    public async Task Readiness_fails_naming_the_check_when_the_database_the_token_or_the_sending_fails_and_recovers_when_fixed()
    {
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await TelegramTestSupport.StartAsync(fake, extra: new Dictionary<string, string?> { ["Health:MaxUnsentReplyAgeSeconds"] = "1" });

        var ready = await UntilAsync(host, HttpStatusCode.OK, "database, classifier and Telegram answer");
        ready["status"]!.GetValue<string>().Should().Be("ready");
        ready["checks"]!.AsObject().Select(c => c.Key).Should().BeEquivalentTo(["database", "classifier", "telegram", "unsent-replies"]);
        (await host.Http.GetAsync("healthz")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The database file is gone from its place: not ready, the process still alive.
        var moved = host.DatabasePath + ".moved";
        File.Move(host.DatabasePath, moved);
        var missing = await UntilAsync(host, HttpStatusCode.ServiceUnavailable, "the database cannot be opened");
        missing["failing"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("database");
        missing.ToJsonString().Should().NotContain(host.DataFolder, "no paths or secrets in the body");
        (await host.Http.GetAsync("healthz")).StatusCode.Should().Be(HttpStatusCode.OK, "liveness: the process serves");
        File.Move(moved, host.DatabasePath);
        await UntilAsync(host, HttpStatusCode.OK, "the database is back");

        // Telegram refuses the token.
        fake.RejectToken = true;
        var refused = await UntilAsync(host, HttpStatusCode.ServiceUnavailable, "Telegram answers 401");
        refused["failing"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("telegram");
        refused["checks"]!["telegram"]!["description"]!.GetValue<string>().Should().Contain("token").And.NotContain(FakeBotApi.Token);
        fake.RejectToken = false;
        await UntilAsync(host, HttpStatusCode.OK, "the token is accepted again");

        // Replies stay unsent past the limit (1 s here).
        fake.Hold();
        fake.Enqueue(FakeBotApi.TextMessage(5001, "/help"));
        var stuck = await UntilAsync(host, HttpStatusCode.ServiceUnavailable, "a reply stays unsent");
        stuck["failing"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("unsent-replies");
        fake.Release();
        await UntilAsync(host, HttpStatusCode.OK, "the reply went out");
    }
}
