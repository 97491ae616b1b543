using System.Net;
using CcBot.Core.Channels.BotFramework;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Tests.BotFramework;

/// <summary>The Connector endpoint is no open door: closed without an app id, and never a way to make the bot call into its own network.</summary>
public sealed class BotFrameworkSafetyTests
{
    [Fact]
    public async Task Without_an_app_id_the_endpoint_answers_404_and_nothing_is_stored_or_sent()
    {
        await using var fake = await FakeConnector.StartAsync(); // a listener on 127.0.0.1: the serviceUrl an attacker would choose
        await using var host = await TestHost.StartAsync();

        var response = await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help", channelId: "emulator"), token: null);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript").Should().Be(0, "refused before anything is stored, so no reply can follow");
        fake.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task The_emulator_mode_takes_only_a_loopback_service_url()
    {
        await using var fake = await FakeConnector.StartAsync();
        await using var host = await TestHost.StartAsync(Teams.Settings(fake, auth: false));

        var elsewhere = Teams.Activity(fake, "message", "/help", channelId: "emulator", serviceUrl: "http://10.20.30.40:3978/");
        (await Teams.PostAsync(host, elsewhere, token: null)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var metadata = Teams.Activity(fake, "message", "/help", channelId: "emulator", serviceUrl: "http://169.254.169.254/latest/");
        (await Teams.PostAsync(host, metadata, token: null)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript").Should().Be(0);
    }

    [Fact]
    public async Task A_signed_activity_whose_service_url_is_on_a_private_address_is_refused_unless_allowed()
    {
        await using var fake = await FakeConnector.StartAsync();
        var settings = Teams.Settings(fake);
        settings.Remove("BotFramework:AllowPrivateServiceUrls");
        await using var host = await TestHost.StartAsync(settings);

        var response = await Teams.PostAsync(host, Teams.Activity(fake, "message", "/help"), fake.CreateToken(Teams.AppId));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the fake Connector is on 127.0.0.1");
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript").Should().Be(0);
        fake.Calls.Should().BeEmpty();
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.5", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("52.112.0.10", true)]
    [InlineData("2603:1063::1", true)]
    public void Internal_addresses_are_refused_and_public_ones_allowed(string address, bool allowed)
    {
        var guard = new ServiceUrlGuard(Options.Create(new BotFrameworkOptions { AppId = "app" }));

        guard.Allows(IPAddress.Parse(address)).Should().Be(allowed);
        guard.AllowsUrl($"https://{(address.Contains(':', StringComparison.Ordinal) ? "[" + address + "]" : address)}/").Should().Be(allowed);
        new ServiceUrlGuard(Options.Create(new BotFrameworkOptions { AppId = "app", AllowPrivateServiceUrls = true })).Allows(IPAddress.Parse(address)).Should().BeTrue();
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_is_refused_when_connecting()
    {
        var guard = new ServiceUrlGuard(Options.Create(new BotFrameworkOptions { AppId = "app" }));
        using var http = new HttpClient(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync });

        var call = () => http.GetAsync("http://localhost:9/");

        (await call.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().Contain("may not call");
    }
}
