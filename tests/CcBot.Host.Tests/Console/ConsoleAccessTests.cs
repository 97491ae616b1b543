using System.Net;
using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Console;

public sealed class ConsoleHostFixture : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Console:LockoutFailures"] = "3" });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Every console page and endpoint refuses anonymous users and wrong roles on the server; forms need the anti-forgery token; lockout.</summary>
public sealed class ConsoleAccessTests(ConsoleHostFixture fixture) : IClassFixture<ConsoleHostFixture>
{
    private TestHost Host => fixture.Host;

    public static TheoryData<string> Pages => new()
    {
        "console",
        "console/helpdesk",
        "console/helpdesk/ticket/1",
        "console/helpdesk/misunderstood",
        "console/helpdesk/dead-letters",
        "console/helpdesk/failed-replies",
        "console/organizer",
        "console/organizer/broadcasts",
        "console/organizer/reports",
        "console/organizer/reports?handler=Xlsx&contest=hai-duong-2024",
        "console/organizer/transcripts",
        "console/organizer/banks",
        "console/organizer/contests",
        "console/organizer/contest?file=hai-duong-2024.yaml",
        "console/admin/users",
        "console/admin/audit",
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Anonymous_users_are_sent_to_the_login_page(string path)
    {
        using var client = ConsoleClient.Anonymous(Host);
        var response = await client.Http.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/console/login");
    }

    [Theory]
    [InlineData("console/helpdesk/ticket/1?handler=Claim")]
    [InlineData("console/helpdesk/ticket/1?handler=Reply")]
    [InlineData("console/helpdesk/ticket/1?handler=Resolve")]
    [InlineData("console/helpdesk/ticket/1?handler=Faq")]
    [InlineData("console/helpdesk/misunderstood?handler=Intent")]
    [InlineData("console/helpdesk/misunderstood?handler=Faq")]
    [InlineData("console/organizer/broadcasts?handler=Cancel&id=1")]
    [InlineData("console/organizer/banks")]
    [InlineData("console/organizer/contests?handler=Ingest")]
    [InlineData("console/organizer/contest?file=hai-duong-2024.yaml&handler=Save")]
    [InlineData("console/admin/users")]
    [InlineData("console/logout")]
    [InlineData("console/hub/negotiate?negotiateVersion=1")]
    public async Task Anonymous_posts_are_refused(string path)
    {
        using var client = ConsoleClient.Anonymous(Host);
        var response = await client.Http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["ReplyText"] = "x" }));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("helpdesk", "console/organizer")]
    [InlineData("helpdesk", "console/organizer/broadcasts")]
    [InlineData("helpdesk", "console/organizer/reports")]
    [InlineData("helpdesk", "console/organizer/reports?handler=Xlsx&contest=hai-duong-2024")]
    [InlineData("helpdesk", "console/organizer/transcripts?text=a")]
    [InlineData("helpdesk", "console/organizer/banks")]
    [InlineData("helpdesk", "console/organizer/contests")]
    [InlineData("helpdesk", "console/organizer/contest?file=hai-duong-2024.yaml")]
    [InlineData("helpdesk", "console/admin/users")]
    [InlineData("helpdesk", "console/admin/audit")]
    [InlineData("organizer", "console/helpdesk")]
    [InlineData("organizer", "console/helpdesk/ticket/1")]
    [InlineData("organizer", "console/helpdesk/misunderstood")]
    [InlineData("organizer", "console/helpdesk/dead-letters")]
    [InlineData("organizer", "console/helpdesk/failed-replies")]
    [InlineData("organizer", "console/admin/users")]
    public async Task Wrong_roles_get_403(string role, string path)
    {
        using var client = await ConsoleClient.SignInAsync(Host, "403-" + role, role);
        (await client.Http.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Wrong_roles_cannot_post_or_open_the_live_hub()
    {
        using var helpdesk = await ConsoleClient.SignInAsync(Host, "post-helpdesk", StaffRoles.HelpDesk);
        var token = await helpdesk.TokenAsync("console/helpdesk");
        var cancel = await helpdesk.Http.PostAsync("console/organizer/broadcasts?handler=Cancel&id=1",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        cancel.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var addUser = await helpdesk.Http.PostAsync("console/admin/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["NewUserName"] = "intruder", ["NewRole"] = "admin", ["NewPassword"] = "0123456789ab",
        }));
        addUser.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Host.Services.GetRequiredService<StaffAccounts>().ListAsync(CancellationToken.None)).Should().NotContain(a => a.UserName == "intruder");

        using var organizer = await ConsoleClient.SignInAsync(Host, "hub-organizer", StaffRoles.Organizer);
        (await organizer.Http.PostAsync("console/hub/negotiate?negotiateVersion=1", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await helpdesk.Http.PostAsync("console/hub/negotiate?negotiateVersion=1", null)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Right_roles_open_their_pages()
    {
        using var admin = await ConsoleClient.SignInAsync(Host, "ok-admin", StaffRoles.Admin);
        foreach (var path in new[] { "console", "console/helpdesk", "console/helpdesk/misunderstood", "console/organizer", "console/organizer/broadcasts", "console/organizer/reports", "console/organizer/transcripts", "console/organizer/banks", "console/organizer/contests", "console/organizer/contest?file=hai-duong-2024.yaml", "console/admin/users", "console/admin/audit" })
        {
            (await admin.Http.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK, path);
        }

        using var helpdesk = await ConsoleClient.SignInAsync(Host, "ok-helpdesk", StaffRoles.HelpDesk);
        (await helpdesk.Http.GetAsync("console/helpdesk")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var organizer = await ConsoleClient.SignInAsync(Host, "ok-organizer", StaffRoles.Organizer);
        (await organizer.Http.GetAsync("console/organizer/broadcasts")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_console_page_carries_the_security_headers_and_no_inline_script_or_style()
    {
        using var admin = await ConsoleClient.SignInAsync(Host, "csp-admin", StaffRoles.Admin);
        foreach (var path in ((IEnumerable<object[]>)Pages).Select(row => (string)row[0]).Append("console/login").Append("console/console.js"))
        {
            using var response = await admin.Http.GetAsync(path);
            response.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.NotFound], path); // ticket 1 may not exist here
            response.Headers.GetValues("Content-Security-Policy").Single().Should().Be(ConsoleSetup.ContentSecurityPolicy, path);
            response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
            response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
            response.Headers.GetValues("Referrer-Policy").Single().Should().Be("same-origin");
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                var html = await response.Content.ReadAsStringAsync();
                System.Text.RegularExpressions.Regex.IsMatch(html, @"<script(?![^>]*\bsrc=)[^>]*>").Should().BeFalse($"{path} has an inline script");
                System.Text.RegularExpressions.Regex.IsMatch(html, @"\sstyle=""|\son[a-z]+=""").Should().BeFalse($"{path} has an inline style or handler");
            }
        }

        (await Host.Http.GetAsync("/")).Headers.Contains("Content-Security-Policy").Should().BeFalse("the chat page is embedded in portals; the console is not");
    }

    [Fact]
    public async Task Forms_without_the_anti_forgery_token_are_rejected()
    {
        using var admin = await ConsoleClient.SignInAsync(Host, "af-admin", StaffRoles.Admin);
        var response = await admin.Http.PostAsync("console/admin/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["NewUserName"] = "forged", ["NewRole"] = "admin", ["NewPassword"] = "0123456789ab",
        }));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Host.Services.GetRequiredService<StaffAccounts>().ListAsync(CancellationToken.None)).Should().NotContain(a => a.UserName == "forged");

        using var anonymous = ConsoleClient.Anonymous(Host);
        (await anonymous.Http.PostAsync("console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "af-admin", ["Password"] = ConsoleClient.Password,
        }))).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var ok = await admin.PostFormAsync("console/admin/users", null, new() { ["NewUserName"] = "made-by-form", ["NewRole"] = "helpdesk", ["NewPassword"] = "0123456789ab" });
        ok.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await Host.Services.GetRequiredService<StaffAccounts>().ListAsync(CancellationToken.None)).Should().Contain(a => a.UserName == "made-by-form" && a.Role == "helpdesk");
        (await Host.Services.GetRequiredService<IHelpDeskStore>().ReadAuditAsync(100, CancellationToken.None))
            .Should().Contain(a => a.Staff == "af-admin" && a.Action == "user.add" && a.Target == "staff:made-by-form");
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_for_the_right_password()
    {
        await Host.Services.GetRequiredService<StaffAccounts>().AddAsync("lock-me", StaffRoles.HelpDesk, ConsoleClient.Password, CancellationToken.None);
        using var client = ConsoleClient.Anonymous(Host);
        (await client.LoginAsync("lock-me", "wrong-password-1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.LoginAsync("lock-me", "wrong-password-2")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.LoginAsync("lock-me", "wrong-password-3")).StatusCode.Should().Be((HttpStatusCode)423);
        var locked = await client.LoginAsync("lock-me", ConsoleClient.Password);
        locked.StatusCode.Should().Be((HttpStatusCode)423);
        (await locked.Content.ReadAsStringAsync()).Should().Contain("tạm bị khóa");
        (await client.Http.GetAsync("console/helpdesk")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await Host.Services.GetRequiredService<IHelpDeskStore>().ReadAuditAsync(100, CancellationToken.None))
            .Should().Contain(a => a.Staff == "lock-me" && a.Action == "login.locked");

        using var admin = await ConsoleClient.SignInAsync(Host, "unlock-admin", StaffRoles.Admin);
        (await admin.PostFormAsync("console/admin/users", "Unlock", new() { ["Target"] = "lock-me" })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await client.LoginAsync("lock-me", ConsoleClient.Password)).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Unknown_users_and_wrong_passwords_do_not_sign_in()
    {
        using var client = ConsoleClient.Anonymous(Host);
        (await client.LoginAsync("nobody", "whatever-password")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.Http.GetAsync("console")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task The_chat_endpoints_stay_anonymous()
    {
        var chat = new DirectLineClient(Host.Http);
        await chat.StartAsync();
        (await chat.AskAsync("xin chào")).Should().NotBeEmpty();
        (await Host.Http.GetAsync("healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
