using System.Net;
using CcBot.Core.Channels.Zalo;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Zalo;

public sealed class ZaloChannelTests : IAsyncLifetime
{
    private FakeZaloApi _fake = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeZaloApi.StartAsync();
        _host = await TestHost.StartAsync(ZaloTestSupport.Settings(_fake));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_message_is_answered_through_the_send_api_and_a_button_click_comes_back_as_a_click()
    {
        var user = "8215000000000000001";
        var response = await ZaloTestSupport.PostAsync(_host.Http, ZaloTestSupport.TextEvent(user, "m1", "Hạn cuối cuộc thi Hải Dương là khi nào?", DateTimeOffset.UtcNow));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await FakeBotApi.WaitUntilAsync(() => _fake.SentTo(user).Count > 0, 30, "a reply reaches the Zalo user");
        var replies = _fake.SentTo(user);
        replies.Should().OnlyContain(s => s.Text.Length > 0 && s.Text.Length <= 2000 && !s.Text.Contains("**", StringComparison.Ordinal));
        replies.Should().OnlyContain(s => s.Buttons.Count <= 5);
        var button = replies.SelectMany(s => s.Buttons).First(b => b.Type == "oa.query.hide");
        button.Payload.Should().StartWith(ZaloEvents.ButtonPrefix);

        var before = _fake.SentTo(user).Count;
        (await ZaloTestSupport.PostAsync(_host.Http, ZaloTestSupport.TextEvent(user, "m2", button.Payload, DateTimeOffset.UtcNow))).StatusCode.Should().Be(HttpStatusCode.OK);
        await FakeBotApi.WaitUntilAsync(() => _fake.SentTo(user).Count > before, 30, "the click is answered");
        CountTranscript("inbound = 1 AND kind = 'ButtonClick'").Should().Be(1);
    }

    [Fact]
    public async Task Forged_missing_and_stale_signatures_are_refused_and_nothing_is_stored()
    {
        var user = "8215000000000000002";
        var body = ZaloTestSupport.TextEvent(user, "f1", "xin chào", DateTimeOffset.UtcNow);
        (await ZaloTestSupport.PostAsync(_host.Http, body, signature: "mac=" + new string('0', 64))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using (var request = new HttpRequestMessage(HttpMethod.Post, "zalo/webhook") { Content = new StringContent(body) })
        {
            (await _host.Http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        // Signed with the right key but over another body: the signature covers the raw bytes.
        var other = ZaloTestSupport.TextEvent(user, "f1", "xin chao!", DateTimeOffset.UtcNow);
        var timestamp = System.Text.Json.Nodes.JsonNode.Parse(body)!["timestamp"]!.GetValue<string>();
        (await ZaloTestSupport.PostAsync(_host.Http, other, ZaloSignature.Compute(ZaloTestSupport.AppId, body, timestamp, ZaloTestSupport.OaSecretKey)))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Correctly signed, but two days old: outside the redelivery window.
        var stale = ZaloTestSupport.TextEvent(user, "f2", "xin chào", DateTimeOffset.UtcNow.AddDays(-2));
        (await ZaloTestSupport.PostAsync(_host.Http, stale)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using (var garbage = new HttpRequestMessage(HttpMethod.Post, "zalo/webhook") { Content = new StringContent("not json") })
        {
            garbage.Headers.TryAddWithoutValidation(ZaloSignature.Header, "mac=" + new string('0', 64));
            (await _host.Http.SendAsync(garbage)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        await Task.Delay(300);
        CountTranscript("channel = 'zalo'").Should().Be(0);
        _fake.SentTo(user).Should().BeEmpty();
    }

    [Fact]
    public async Task A_redelivered_event_is_answered_once()
    {
        var user = "8215000000000000003";
        var body = ZaloTestSupport.TextEvent(user, "r1", "số điện thoại ban tổ chức cuộc thi Hải Dương", DateTimeOffset.UtcNow.AddMinutes(-5));
        (await ZaloTestSupport.PostAsync(_host.Http, body)).StatusCode.Should().Be(HttpStatusCode.OK);
        await FakeBotApi.WaitUntilAsync(() => _fake.SentTo(user).Count > 0, 30, "answered");
        await Task.Delay(500);
        var answered = _fake.SentTo(user).Count;

        // Zalo re-sends after 30 s when it saw no 200 in time: the same msg_id, the same signature.
        (await ZaloTestSupport.PostAsync(_host.Http, body)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ZaloTestSupport.PostAsync(_host.Http, body)).StatusCode.Should().Be(HttpStatusCode.OK);
        await Task.Delay(1000);
        _fake.SentTo(user).Count.Should().Be(answered);
        CountTranscript("inbound = 1 AND channel = 'zalo' AND activity_id = 'r1'").Should().Be(1);
    }

    [Fact]
    public async Task An_expired_access_token_is_renewed_once_and_the_reply_still_arrives()
    {
        var user = "8215000000000000004";
        _fake.ExpireAccessToken();
        (await ZaloTestSupport.PostAsync(_host.Http, ZaloTestSupport.TextEvent(user, "t1", "thể lệ cuộc thi", DateTimeOffset.UtcNow))).StatusCode.Should().Be(HttpStatusCode.OK);
        await FakeBotApi.WaitUntilAsync(() => _fake.SentTo(user).Count > 0, 30, "the reply arrives after renewal");
        _fake.Renewals.Should().Be(1);
        _fake.SentTo(user).Should().OnlyContain(s => s.AccessToken == "access-1");

        // The renewed pair is in the database, protected: neither token appears in clear.
        using var conn = new SqliteConnection($"Data Source={_host.DatabasePath}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT access_token || refresh_token || generation FROM zalo_tokens";
        var stored = (string)cmd.ExecuteScalar()!;
        stored.Should().NotContain("access-1").And.NotContain("refresh-1").And.EndWith("2");
    }

    [Fact]
    public async Task A_user_who_no_longer_follows_is_marked_unreachable_and_a_quota_error_is_retried_later()
    {
        var user = "8215000000000000005";
        _fake.FailNextSends(-213);
        (await ZaloTestSupport.PostAsync(_host.Http, ZaloTestSupport.TextEvent(user, "u1", "cảm ơn", DateTimeOffset.UtcNow))).StatusCode.Should().Be(HttpStatusCode.OK);
        await FakeBotApi.WaitUntilAsync(() => CountTranscript("inbound = 0 AND channel = 'zalo' AND status = 'unreachable'") > 0, 30, "the reply is marked unreachable");
        _fake.SentTo(user).Should().BeEmpty();
    }

    [Fact]
    public async Task A_Zalo_ticket_shows_in_the_console_and_the_staff_reply_reaches_the_user_on_Zalo()
    {
        var user = "8215000000000000006";
        var at = DateTimeOffset.UtcNow;
        var steps = new[] { ZaloEvents.ButtonPrefix + "human", "Tôi nộp bài nhầm tệp qua Zalo, có sửa được không?", ZaloEvents.ButtonPrefix + "skip" };
        for (var i = 0; i < steps.Length; i++)
        {
            var before = _fake.SentTo(user).Count;
            (await ZaloTestSupport.PostAsync(_host.Http, ZaloTestSupport.TextEvent(user, $"h{i}", steps[i], at.AddSeconds(i)))).StatusCode.Should().Be(HttpStatusCode.OK);
            await FakeBotApi.WaitUntilAsync(() => _fake.SentTo(user).Count > before, 30, $"step {i} is answered");
        }

        var id = await Console.HelpDeskTestData.SingleOpenTicketAsync(_host, user);
        using var staff = await Console.ConsoleClient.SignInAsync(_host, "zalo-staff", StaffConsole.StaffRoles.HelpDesk);
        (await staff.Http.GetStringAsync("console/helpdesk")).Should().Contain("Tôi nộp bài nhầm tệp qua Zalo").And.Contain("zalo");
        (await staff.PostFormAsync($"console/helpdesk/ticket/{id}", "Claim")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await staff.PostFormAsync($"console/helpdesk/ticket/{id}", "Reply", new() { ["ReplyText"] = "Bạn gửi lại tệp đúng qua e-mail ban tổ chức nhé." }))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);
        await FakeBotApi.WaitUntilAsync(() => _fake.SentTo(user).Any(s => s.Text == "Bạn gửi lại tệp đúng qua e-mail ban tổ chức nhé."), 30, "the reply reaches the user on Zalo");
    }

    [Fact]
    public async Task Zalo_link_prints_the_OA_chat_link_the_start_message_and_writes_a_QR_code()
    {
        var output = new StringWriter();
        var png = Path.Combine(_host.DataFolder, "hd-zalo.png");
        var settings = new Dictionary<string, string?>(ZaloTestSupport.Settings(_fake))
        {
            ["Storage:ConnectionString"] = $"Data Source={_host.DatabasePath}",
            ["Storage:DataFolder"] = _host.DataFolder,
            ["Content:Root"] = RepoPaths.Root,
        };
        (await Cli.CliRoot.RunAsync(["zalo", "link", "hai-duong-2024", "--out", png], TextReader.Null, output, settings)).Should().Be(0);
        output.ToString().Should().Contain($"https://zalo.me/{ZaloTestSupport.OaId}").And.Contain("/start hai-duong-2024");
        File.ReadAllBytes(png).AsSpan(0, 4).ToArray().Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        (await Cli.CliRoot.RunAsync(["zalo", "link", "khong-co"], TextReader.Null, new StringWriter(), settings)).Should().Be(2);
    }

    private long CountTranscript(string where)
    {
        using var conn = new SqliteConnection($"Data Source={_host.DatabasePath}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM transcript WHERE " + where;
        return (long)cmd.ExecuteScalar()!;
    }
}
