using System.Net;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.BotFramework;

/// <summary>One host and one fake Connector for every refused request; none of them may be stored or answered.</summary>
public sealed class BotFrameworkAuthFixture : IAsyncLifetime
{
    public FakeConnector Fake { get; private set; } = null!;

    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Fake = await FakeConnector.StartAsync();
        Host = await TestHost.StartAsync(Teams.Settings(Fake));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

public sealed class BotFrameworkAuthenticationTests(BotFrameworkAuthFixture fixture) : IClassFixture<BotFrameworkAuthFixture>
{
    [Theory]
    [InlineData("wrong-audience")]
    [InlineData("wrong-issuer")]
    [InlineData("expired")]
    [InlineData("not-yet-valid")]
    [InlineData("unsigned")]
    [InlineData("wrong-key")]
    [InlineData("service-url-mismatch")]
    [InlineData("channel-not-endorsed")]
    [InlineData("missing-header")]
    [InlineData("not-bearer")]
    [InlineData("garbage-token")]
    public async Task Refused_requests_get_401_and_nothing_is_stored(string failure)
    {
        var fake = fixture.Fake;
        var host = fixture.Host;
        var activity = Teams.Activity(fake, "message", "/help", channelId: failure == "channel-not-endorsed" ? "webchat" : "msteams");
        var now = DateTime.UtcNow;
        string? token = failure switch
        {
            "wrong-audience" => fake.CreateToken("11111111-1111-1111-1111-111111111111"),
            "wrong-issuer" => fake.CreateToken(Teams.AppId, issuer: "https://sts.example.com"),
            "expired" => fake.CreateToken(Teams.AppId, notBefore: now.AddHours(-2), expires: now.AddMinutes(-10)),
            "not-yet-valid" => fake.CreateToken(Teams.AppId, notBefore: now.AddMinutes(10), expires: now.AddHours(1)),
            "unsigned" => fake.CreateToken(Teams.AppId, sign: false),
            "wrong-key" => fake.CreateToken(Teams.AppId, otherKey: true),
            "service-url-mismatch" => fake.CreateToken(Teams.AppId, serviceUrl: "https://smba.trafficmanager.net/amer/"),
            "channel-not-endorsed" => fake.CreateToken(Teams.AppId),
            "missing-header" => null,
            "garbage-token" => "not.a.jwt",
            _ => fake.CreateToken(Teams.AppId),
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (failure == "not-bearer")
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        }
        else if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var response = await host.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await Task.Delay(100);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript").Should().Be(0);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM conversations").Should().Be(0);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM trusted_service_urls").Should().Be(0);
        fake.Calls.Should().BeEmpty();
    }

    [Fact]
    public void The_unsigned_token_really_says_alg_none()
    {
        var token = fixture.Fake.CreateToken(Teams.AppId, sign: false);
        var header = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
        header.Should().Contain("\"alg\":\"none\"");
    }
}
