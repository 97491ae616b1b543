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
        ready["checks"]!.AsObject().Select(c => c.Key).Should().BeEquivalentTo(["database", "classifier", "telegram", "unsent-replies", "outbox"]);
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

    [Fact]
    public async Task Readiness_fails_on_an_outbox_backlog_that_waits_too_long_and_recovers_when_it_is_sent()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Health:MaxOutboxWaitSeconds"] = "60", ["Reminders:Enabled"] = "false" });
        await UntilAsync(host, HttpStatusCode.OK, "nothing due");

        // A reminder due two hours ago that nothing sends (its channel is off): the backlog check names it.
        var due = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        TelegramTestSupport.Count(host.DatabasePath, $"""
            INSERT INTO outbox(dedupe_key, source, source_id, channel, conversation_key, reference, message, status, not_before, created_at)
            VALUES ('r-1', 'reminder', 'x', 'telegram', 'telegram:1', '{"{}"}', '{"{}"}', 'pending', '{due}', '{due}') RETURNING id
            """);
        var late = await UntilAsync(host, HttpStatusCode.ServiceUnavailable, "the outbox waits too long");
        late["failing"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("outbox");
        late["checks"]!["outbox"]!["description"]!.GetValue<string>().Should().StartWith("1 due, oldest waiting");

        TelegramTestSupport.Count(host.DatabasePath, "UPDATE outbox SET status = 'sent' RETURNING id");
        await UntilAsync(host, HttpStatusCode.OK, "the backlog is sent");
    }

    [Fact]
    public async Task Readiness_names_zalo_when_its_refresh_token_is_refused()
    {
        await using var fake = await Zalo.FakeZaloApi.StartAsync(refreshToken: "refresh-zalo-forgot");
        await using var host = await TestHost.StartAsync(Zalo.ZaloTestSupport.Settings(fake));
        var ready = await UntilAsync(host, HttpStatusCode.OK, "the configured token is held");
        ready["checks"]!.AsObject().Select(c => c.Key).Should().Contain("zalo");

        fake.ExpireAccessToken();
        (await Zalo.ZaloTestSupport.PostAsync(host.Http, Zalo.ZaloTestSupport.TextEvent("99", "z1", "xin chào", DateTimeOffset.UtcNow))).StatusCode.Should().Be(HttpStatusCode.OK);
        var stopped = await UntilAsync(host, HttpStatusCode.ServiceUnavailable, "the refresh token is refused");
        stopped["failing"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Contain("zalo");
        stopped.ToJsonString().Should().NotContain("refresh-zalo-forgot").And.NotContain("access-0");
    }

    [Fact]
    public async Task Readiness_names_teams_when_the_token_endpoint_cannot_issue_the_bot_token()
    {
        await using var connector = await BotFramework.FakeConnector.StartAsync();
        var settings = BotFramework.Teams.Settings(connector);
        await using (var host = await TestHost.StartAsync(settings))
        {
            (await UntilAsync(host, HttpStatusCode.OK, "the fake endpoint issues the token"))["checks"]!.AsObject().Select(c => c.Key).Should().Contain("teams");
        }

        settings["BotFramework:TokenEndpoint"] = "http://127.0.0.1:1/{tenant}/oauth2/v2.0/token";
        await using var broken = await TestHost.StartAsync(settings);
        var failing = await UntilAsync(broken, HttpStatusCode.ServiceUnavailable, "no token can be obtained");
        failing["failing"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Contain("teams");
        failing.ToJsonString().Should().NotContain("s3cret");
    }
}
