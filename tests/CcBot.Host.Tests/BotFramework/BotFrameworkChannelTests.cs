using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CcBot.Host.Tests.BotFramework;

/// <summary>The Teams channel end to end over real HTTP: the host on one loopback port, a fake Connector on another.</summary>
public sealed class BotFrameworkChannelTests
{
    [Fact]
    public async Task Full_conversation_greets_starts_a_contest_and_answers_a_card_submit()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));
        var conversationPath = Teams.ActivitiesPath("/amer/", Teams.PersonalConversation);

        var install = Teams.Activity(fake, "conversationUpdate");
        var response = await Teams.PostAsync(host, install, fake.CreateToken(Teams.AppId));
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        var greeting = await Teams.WaitForAsync(fake, c => Teams.Text(c)?.Contains("Xin chào", StringComparison.Ordinal) == true);
        greeting.Method.Should().Be("POST");
        greeting.RawTarget.Should().Be(conversationPath);
        greeting.Authorization.Should().Be("Bearer " + FakeConnector.AccessToken);
        greeting.Body["type"]!.GetValue<string>().Should().Be("message");
        greeting.Body["from"]!["id"]!.GetValue<string>().Should().Be(Teams.BotId);
        greeting.Body["recipient"]!["id"]!.GetValue<string>().Should().Be(Teams.UserId);
        greeting.Body["conversation"]!["id"]!.GetValue<string>().Should().Be(Teams.PersonalConversation);
        greeting.Body["textFormat"]!.GetValue<string>().Should().Be("markdown");
        greeting.Body["locale"]!.GetValue<string>().Should().Be("vi-VN");
        greeting.Body["conversation"]!["tenantId"]!.GetValue<string>().Should().Be(Teams.TenantId);
        greeting.Body.ContainsKey("id").Should().BeFalse("bots do not set id, timestamp or serviceUrl on replies");
        greeting.Body.ContainsKey("serviceUrl").Should().BeFalse();
        greeting.Body["attachments"]![0]!["contentType"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        greeting.Body["attachments"]![0]!["content"]!["version"]!.GetValue<string>().Should().Be("1.4");

        var callsBefore = fake.Calls.Count;
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/start hai-duong-2024"), fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        await fake.WaitForCallsAsync(callsBefore + 1);

        var submit = Teams.Activity(fake, "message", value: new JsonObject { ["action"] = "schedule" });
        submit["replyToId"] = "bot-msg-1";
        (await Teams.PostAsync(host, submit, fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        var schedule = await Teams.WaitForAsync(fake, c => Teams.Text(c)?.Contains("16h30 ngày 13/12/2024", StringComparison.Ordinal) == true);
        schedule.RawTarget.Should().Be(conversationPath);
        schedule.Authorization.Should().Be("Bearer " + FakeConnector.AccessToken);

        // Several replies, one client-credentials request: the token is cached.
        fake.Calls.Count.Should().BeGreaterThanOrEqualTo(3);
        fake.TokenRequestCount.Should().Be(1);
        var form = fake.TokenRequests.Single();
        form["grant_type"].Should().Be("client_credentials");
        form["client_id"].Should().Be(Teams.AppId);
        form["client_secret"].Should().Be("s3cret");
        form["scope"].Should().Be("https://api.botframework.com/.default");
        fake.TokenPaths.Single().Should().Be("/botframework.com/oauth2/v2.0/token", "a multi-tenant bot asks the botframework.com tenant");

        // The conversation reference is stored with everything needed later, and the serviceUrl is trusted.
        Teams.Scalar<string>(host, "SELECT reference FROM conversations WHERE conversation_key = $k", ("$k", "msteams:" + Teams.PersonalConversation))
            .Should().Contain(Teams.TenantId).And.Contain(fake.ServiceUrl).And.Contain(Teams.BotId);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM trusted_service_urls").Should().Be(1);
        Teams.Scalar<string>(host, "SELECT value FROM transcript WHERE inbound = 1 AND kind = 'ButtonClick'").Should().Be("schedule");
    }

    [Fact]
    public async Task Mentions_are_stripped_in_channel_messages_and_the_reply_goes_to_the_thread()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));

        var message = Teams.Activity(fake, "message", "<at>CcBot</at>&nbsp;/help ", conversationId: Teams.ChannelConversation, conversationType: "channel");
        message["entities"] = new JsonArray(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>CcBot</at>",
            ["mentioned"] = new JsonObject { ["id"] = Teams.BotId, ["name"] = "CcBot" },
        });
        message["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "text/html", ["content"] = "<div><at>CcBot</at> /help</div>" });
        (await Teams.PostAsync(host, message, fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);

        var reply = await Teams.WaitForAsync(fake, c => Teams.Text(c)?.Contains("Tôi có thể giúp bạn", StringComparison.Ordinal) == true);
        reply.RawTarget.Should().Be(Teams.ActivitiesPath("/amer/", Teams.ChannelConversation));
        reply.RawTarget.Should().Contain("19%3Aabc123%40thread.tacv2%3Bmessageid%3D1700000000000");
        reply.Body["conversation"]!["isGroup"]!.GetValue<bool>().Should().BeTrue();
        Teams.Scalar<string>(host, "SELECT text FROM transcript WHERE inbound = 1").Should().Be("/help");
    }

    [Fact]
    public async Task Proactive_message_reaches_the_stored_reference_and_follows_a_new_service_url()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));
        (await Teams.PostAsync(host, Teams.Activity(fake, "conversationUpdate"), fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        await fake.WaitForCallsAsync(1);

        // Teams moved the conversation: the next authenticated activity carries a new serviceUrl.
        var moved = fake.Url + "/emea/";
        var message = Teams.Activity(fake, "message", "/help", serviceUrl: moved);
        (await Teams.PostAsync(host, message, fake.CreateToken(Teams.AppId, serviceUrl: moved))).StatusCode.Should().Be(HttpStatusCode.OK);
        await Teams.WaitForAsync(fake, c => c.RawTarget.StartsWith("/emea/", StringComparison.Ordinal));

        var store = host.Services.GetRequiredService<IConversationStore>();
        var reference = await store.GetReferenceAsync("msteams:" + Teams.PersonalConversation, CancellationToken.None);
        reference.Should().NotBeNull();
        reference!.ServiceUrl.Should().Be(moved);
        reference.TenantId.Should().Be(Teams.TenantId);

        var messenger = host.Services.GetRequiredService<IProactiveMessenger>();
        var outcome = await messenger.SendAsync(reference, new OutboundMessage
        {
            Text = "**Nhắc nhở:** cuộc thi sắp kết thúc.\nXem lịch thi bên dưới.",
            Buttons = [ReplyButton.Action("Lịch thi", "schedule"), ReplyButton.Link("Trang cuộc thi", "https://example.gov.vn/cuoc-thi")],
        }, CancellationToken.None);
        outcome.Status.Should().Be(SendStatus.Sent);
        outcome.ChannelMessageId.Should().StartWith("bot-msg-");

        var call = await Teams.WaitForAsync(fake, c => Teams.Text(c)?.Contains("Nhắc nhở", StringComparison.Ordinal) == true);
        call.RawTarget.Should().Be(Teams.ActivitiesPath("/emea/", Teams.PersonalConversation));
        call.Authorization.Should().Be("Bearer " + FakeConnector.AccessToken);
        Teams.Text(call).Should().Be("**Nhắc nhở:** cuộc thi sắp kết thúc.\n\nXem lịch thi bên dưới.");
        var actions = call.Body["attachments"]![0]!["content"]!["actions"]!.AsArray();
        actions[0]!["type"]!.GetValue<string>().Should().Be("Action.Submit");
        actions[0]!["data"]!["action"]!.GetValue<string>().Should().Be("schedule");
        actions[1]!["type"]!.GetValue<string>().Should().Be("Action.OpenUrl");
        actions[1]!["url"]!.GetValue<string>().Should().Be("https://example.gov.vn/cuoc-thi");

        // A reference pointing at a host that never sent an authenticated activity gets no token.
        var calls = fake.Calls.Count;
        var forged = reference with { ServiceUrl = "http://127.0.0.2:9/evil/" };
        (await messenger.SendAsync(forged, OutboundMessage.Plain("x"), CancellationToken.None)).Status.Should().Be(SendStatus.Failed);
        fake.Calls.Count.Should().Be(calls);
    }

    [Fact]
    public async Task Too_many_requests_waits_out_retry_after()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));
        fake.Inject(HttpStatusCode.TooManyRequests, retryAfter: "1");

        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help"), fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        var calls = await fake.WaitForCallsAsync(2);
        (calls[1].At - calls[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        Teams.Text(calls[1]).Should().Be(Teams.Text(calls[0]));

        await WaitUntilAsync(() => Teams.Scalar<string>(host, "SELECT status FROM transcript WHERE inbound = 0") == "sent");
    }

    [Fact]
    public async Task Forbidden_marks_the_user_unreachable()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));
        fake.Inject(HttpStatusCode.Forbidden, errorCode: "BotNotInConversationRoster");

        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help"), fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        await fake.WaitForCallsAsync(1);
        await WaitUntilAsync(() => Teams.Scalar<string?>(host, "SELECT unreachable_at FROM users WHERE channel = 'msteams' AND channel_user_id = $u", ("$u", Teams.UserId)) is not null);
        Teams.Scalar<string?>(host, "SELECT unreachable_at FROM conversations WHERE conversation_key = $k", ("$k", "msteams:" + Teams.PersonalConversation)).Should().NotBeNull();
        Teams.Scalar<string>(host, "SELECT status FROM transcript WHERE inbound = 0 ORDER BY seq LIMIT 1").Should().Be("unreachable");
        // The status is written once the send has finished, and an unreachable reply is never picked up again.
        fake.Calls.Count.Should().Be(1, "403 is not retried");
    }

    [Fact]
    public async Task Without_app_id_authentication_is_off_for_local_emulator_testing()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake, auth: false));

        var message = Teams.Activity(fake, "message", "/help", channelId: "emulator");
        (await Teams.PostAsync(host, message, token: null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var reply = await Teams.WaitForAsync(fake, c => Teams.Text(c)?.Contains("Tôi có thể giúp bạn", StringComparison.Ordinal) == true);
        reply.Authorization.Should().BeNull();
        fake.TokenRequestCount.Should().Be(0);

        var invoke = Teams.Activity(fake, "invoke", channelId: "emulator");
        invoke["name"] = "adaptiveCard/action";
        invoke["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "menu", ["data"] = new JsonObject { ["action"] = "menu" } } };
        var invokeResponse = await Teams.PostAsync(host, invoke, token: null);
        invokeResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await invokeResponse.Content.ReadAsStringAsync())!;
        body["statusCode"]!.GetValue<int>().Should().Be(200);

        var ignored = Teams.Activity(fake, "messageUpdate", "sửa", channelId: "emulator");
        (await Teams.PostAsync(host, ignored, token: null)).StatusCode.Should().Be(HttpStatusCode.OK);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript WHERE inbound = 1 AND activity_id = $id", ("$id", ignored["id"]!.GetValue<string>())).Should().Be(0);

        var foreign = Teams.Activity(fake, "message", "/help", channelId: "directline");
        (await Teams.PostAsync(host, foreign, token: null)).StatusCode.Should().Be(HttpStatusCode.OK);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript WHERE channel = 'directline'").Should().Be(0, "only msteams and emulator are Connector channels here");

        using var malformed = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        (await host.Http.PostAsync("api/messages", malformed)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Start_without_app_id_logs_a_loud_warning()
    {
        await using var fake = await FakeConnector.StartAsync();
        var logs = new CapturingLoggerProvider();
        await using (var host = await TestHost.StartAsync(Teams.Settings(fake, auth: false), configure: b => b.Logging.AddProvider(logs)))
        {
            logs.Entries.Should().Contain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("BotFramework:EmulatorWithoutAuthentication is on", StringComparison.Ordinal));
        }

        var quiet = new CapturingLoggerProvider();
        await using (var host = await TestHost.StartAsync(Teams.Settings(fake), configure: b => b.Logging.AddProvider(quiet)))
        {
            quiet.Entries.Should().NotContain(e => e.Message.Contains("UNAUTHENTICATED", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Token_is_requested_once_by_concurrent_callers_and_renewed_before_expiry()
    {
        await using var fake = await FakeConnector.StartAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var settings = Teams.Settings(fake);
        settings["BotFramework:TenantId"] = Teams.TenantId;
        await using var host = await TestHost.StartAsync(settings, configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var tokens = host.Services.GetRequiredService<CcBot.Core.Channels.BotFramework.BotFrameworkTokenProvider>();

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => tokens.GetTokenAsync(CancellationToken.None))));
        all.Should().OnlyContain(t => t == FakeConnector.AccessToken);
        fake.TokenRequestCount.Should().Be(1);

        clock.Advance(TimeSpan.FromMinutes(50));
        await tokens.GetTokenAsync(CancellationToken.None);
        fake.TokenRequestCount.Should().Be(1, "the token (expires_in 3599 s) is still good for more than five minutes");

        clock.Advance(TimeSpan.FromMinutes(5));
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help"), fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        await fake.WaitForCallsAsync(1);
        fake.TokenRequestCount.Should().Be(2, "less than five minutes were left: renewed before use");
        fake.TokenRequests.Last()["client_id"].Should().Be(Teams.AppId);
        fake.TokenPaths.Should().AllBe($"/{Teams.TenantId}/oauth2/v2.0/token", "a single-tenant bot asks its own tenant");
    }

    [Fact]
    public async Task Duplicate_activity_is_answered_once()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));
        var message = Teams.Activity(fake, "message", "/help");
        (await Teams.PostAsync(host, message, fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Teams.PostAsync(host, message, fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        await fake.WaitForCallsAsync(1);
        // Both posts were answered only after storing: once nothing is pending, every turn and send has happened.
        await WaitUntilAsync(() => Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript WHERE status = 'pending'") == 0);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript WHERE inbound = 1").Should().Be(1);
        fake.Calls.Count.Should().Be(1);
    }

    [Fact]
    public async Task Rotated_signing_key_is_fetched_on_an_unknown_kid()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help"), fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        var keyDownloads = fake.KeySetRequests;

        fake.RotateKey();
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/menu"), fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);

        fake.KeySetRequests.Should().BeGreaterThan(keyDownloads);
        await fake.WaitForCallsAsync(2);
    }

    [Fact]
    public async Task Transient_connector_errors_are_retried_with_backoff()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));
        fake.Inject(HttpStatusCode.BadGateway);
        fake.Inject(HttpStatusCode.ServiceUnavailable);

        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help"), fake.CreateToken(Teams.AppId))).StatusCode.Should().Be(HttpStatusCode.OK);
        var calls = await fake.WaitForCallsAsync(3);
        (calls[2].At - calls[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(500));
        await WaitUntilAsync(() => Teams.Scalar<string>(host, "SELECT status FROM transcript WHERE inbound = 0") == "sent");
    }

    [Fact]
    public async Task Emulator_tokens_are_accepted_only_for_the_emulator_channel()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake));

        var v1 = fake.CreateEmulatorToken(Teams.AppId, Teams.AppId);
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help", channelId: "emulator"), v1)).StatusCode.Should().Be(HttpStatusCode.OK);
        var reply = await Teams.WaitForAsync(fake, c => Teams.Text(c)?.Contains("Tôi có thể giúp bạn", StringComparison.Ordinal) == true);
        reply.Authorization.Should().Be("Bearer " + FakeConnector.AccessToken);

        var v2 = fake.CreateEmulatorToken(Teams.AppId, Teams.AppId, version: "2.0");
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/menu", channelId: "emulator"), v2)).StatusCode.Should().Be(HttpStatusCode.OK);

        // The Emulator path skips endorsements and serviceurl, so it must not open the Teams channel.
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help", channelId: "msteams"), v1)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help", channelId: "emulator"), fake.CreateEmulatorToken(Teams.AppId, "another-app"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help", channelId: "emulator"), fake.CreateEmulatorToken(Teams.AppId, Teams.AppId, tenant: "00000000-0000-0000-0000-000000000001"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript WHERE inbound = 1 AND channel = 'msteams'").Should().Be(0);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript WHERE inbound = 1").Should().Be(2);
    }

    private sealed class CapturingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<(Microsoft.Extensions.Logging.LogLevel Level, string Message)> Entries { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException("Condition not met in time.");
            }

            await Task.Delay(25);
        }
    }
}
