using System.Net;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

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
    [InlineData("wrong-audience", "Audience")]
    [InlineData("wrong-issuer", "Issuer")]
    [InlineData("expired", "Expired")]
    [InlineData("not-yet-valid", "NotYetValid")]
    [InlineData("unsigned", "no key id")]
    [InlineData("unsigned-with-kid", "Signature")]
    [InlineData("wrong-key", "unknown signing key")]
    [InlineData("tampered-payload", "Signature")]
    [InlineData("service-url-mismatch", "serviceurl")]
    [InlineData("channel-not-endorsed", "not endorsed")]
    [InlineData("missing-header", "missing bearer")]
    [InlineData("not-bearer", "missing bearer")]
    [InlineData("garbage-token", "unreadable")]
    public async Task Refused_requests_get_401_and_nothing_is_stored(string failure, string reason)
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
            "unsigned-with-kid" => UnsignedWithKid(fake),
            "tampered-payload" => Tamper(fake.CreateToken(Teams.AppId)),
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

        // The refusal is for the intended reason, not another check failing first.
        var authenticator = host.Services.GetRequiredService<CcBot.Core.Channels.BotFramework.BotFrameworkAuthenticator>();
        var check = await authenticator.AuthenticateAsync(
            request.Headers.Authorization?.ToString(), activity["channelId"]!.GetValue<string>(), activity["serviceUrl"]!.GetValue<string>(), CancellationToken.None);
        check.Succeeded.Should().BeFalse();
        check.Error.Should().Contain(reason);

        var response = await host.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Refused before anything is stored: the 401 is the end of the request.
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM transcript").Should().Be(0);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM conversations").Should().Be(0);
        Teams.Scalar<long>(host, "SELECT COUNT(*) FROM trusted_service_urls").Should().Be(0);
        fake.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task A_valid_token_passes_the_same_checks()
    {
        var fake = fixture.Fake;
        var authenticator = fixture.Host.Services.GetRequiredService<CcBot.Core.Channels.BotFramework.BotFrameworkAuthenticator>();
        var result = await authenticator.AuthenticateAsync("Bearer " + fake.CreateToken(Teams.AppId), "msteams", fake.ServiceUrl.ToUpperInvariant().Replace("HTTP://", "http://", StringComparison.Ordinal), CancellationToken.None);
        result.Error.Should().BeNull();
        result.Succeeded.Should().BeTrue();
    }

    private static string UnsignedWithKid(FakeConnector fake)
    {
        var header = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"JWT","kid":"{{fake.KeyId}}"}""");
        var payloadPart = fake.CreateToken(Teams.AppId).Split('.')[1];
        return header + "." + payloadPart + ".";
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]));
        payload = payload.Replace(Teams.AppId, Teams.AppId, StringComparison.Ordinal).Replace("\"serviceurl\":\"", "\"serviceurl\":\"x", StringComparison.Ordinal);
        return parts[0] + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload) + "." + parts[2];
    }

    [Fact]
    public void The_unsigned_token_really_says_alg_none()
    {
        var token = fixture.Fake.CreateToken(Teams.AppId, sign: false);
        var header = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
        header.Should().Contain("\"alg\":\"none\"");
    }
}
