using System.Net;
using System.Text.RegularExpressions;
using CcBot.Host.StaffConsole;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Console;

/// <summary>A staff member's browser over plain HTTP: cookies kept, redirects not followed, anti-forgery token read from forms.</summary>
public sealed partial class ConsoleClient : IDisposable
{
    public const string Password = "correct horse battery";

    private ConsoleClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies { get; }

    public static ConsoleClient Anonymous(TestHost host) => new(host.BaseAddress);

    /// <summary>Creates the account (through the service the CLI uses) unless it exists, and signs in.</summary>
    public static async Task<ConsoleClient> SignInAsync(TestHost host, string user, string role)
    {
        var accounts = host.Services.GetRequiredService<StaffAccounts>();
        if ((await accounts.ListAsync(CancellationToken.None)).All(a => a.UserName != user))
        {
            await accounts.AddAsync(user, role, Password, CancellationToken.None);
        }

        var client = new ConsoleClient(host.BaseAddress);
        var response = await client.LoginAsync(user, Password);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return client;
    }

    public async Task<HttpResponseMessage> LoginAsync(string user, string password)
    {
        var token = await TokenAsync("console/login");
        return await Http.PostAsync("console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    public async Task<string> TokenAsync(string pagePath)
    {
        var html = await Http.GetStringAsync(pagePath);
        var match = TokenRegex().Match(html);
        match.Success.Should().BeTrue("the page {0} has a form with an anti-forgery token", pagePath);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a form of a page (handler optional) with the page's anti-forgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string? handler, Dictionary<string, string>? fields = null)
    {
        var form = new Dictionary<string, string>(fields ?? []) { ["__RequestVerificationToken"] = await TokenAsync(pagePath) };
        return await Http.PostAsync(handler is null ? pagePath : $"{pagePath}{(pagePath.Contains('?', StringComparison.Ordinal) ? '&' : '?')}handler={handler}", new FormUrlEncodedContent(form));
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}

public static class HelpDeskTestData
{
    /// <summary>"Gặp cán bộ" from web chat: the button, the question, skip the contact. Returns when the escalation is stored.</summary>
    public static async Task AskForHumanAsync(DirectLineClient chat, string question)
    {
        await chat.SendAsync(null, "human");
        await chat.SendAsync(question);
        await chat.SendAsync("skip", "skip");
        await chat.GetBotMessagesAsync();
    }

    public static async Task<long> SingleOpenTicketAsync(TestHost host, string conversationId)
    {
        var store = host.Services.GetRequiredService<Core.HelpDesk.IHelpDeskStore>();
        var tickets = await store.ListAsync(open: true, 100, CancellationToken.None);
        return tickets.Single(t => t.ConversationKey.EndsWith(conversationId, StringComparison.Ordinal)).Id;
    }
}
