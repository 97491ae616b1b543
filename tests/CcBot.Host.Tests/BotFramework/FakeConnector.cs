using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CcBot.Host.Tests.BotFramework;

/// <summary>A call the bot made to the fake Connector REST API.</summary>
public sealed record ConnectorCall(string Method, string RawTarget, string? Authorization, JsonObject Body, TimeSpan At);

/// <summary>
/// The Bot Connector service and Entra ID token endpoint, faked on 127.0.0.1: OpenID metadata, JWKS with
/// endorsements (locally generated RSA key), client-credentials token endpoint, and the v3 conversation
/// endpoints recording the bot's calls. Signs activity JWTs like the real Connector.
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";
    public const string AccessToken = "fake-bot-access-token";

    private readonly WebApplication _app;
    private RSA _rsa = RSA.Create(2048);
    private readonly List<RSA> _retired = [];
    private readonly RSA _otherRsa = RSA.Create(2048);
    private readonly RSA _entraRsa = RSA.Create(2048);
    private readonly ConcurrentQueue<Func<HttpResponse, Task>> _injected = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _tokenRequests;
    private int _keySetRequests;
    private int _replyIds;

    private FakeConnector(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";

    /// <summary>The kid of the key the fake currently signs with and publishes.</summary>
    public string KeyId { get; private set; } = "fake-key-1";

    /// <summary>Number of JWKS downloads (key refreshes).</summary>
    public int KeySetRequests => Volatile.Read(ref _keySetRequests);

    /// <summary>Replaces the signing key (new kid), as the Connector does when it rotates keys.</summary>
    public void RotateKey()
    {
        _retired.Add(_rsa);
        _rsa = RSA.Create(2048);
        KeyId = "fake-key-" + (_retired.Count + 1);
    }

    /// <summary>The serviceUrl the fake Connector puts in activities (a Teams-like path with a trailing slash).</summary>
    public string ServiceUrl => Url + "/amer/";

    public string OpenIdMetadataUrl => Url + "/v1/.well-known/openidconfiguration";

    /// <summary>The Entra ID metadata that signs Emulator tokens (its own key, no endorsements).</summary>
    public string EmulatorOpenIdMetadataUrl => Url + "/entra/v2.0/.well-known/openid-configuration";

    public string TokenEndpoint => Url + "/{tenant}/oauth2/v2.0/token";

    public ConcurrentQueue<ConnectorCall> Calls { get; } = new();

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    public ConcurrentQueue<string> TokenPaths { get; } = new();

    public int TokenRequestCount => Volatile.Read(ref _tokenRequests);

    public string[] Endorsements { get; set; } = ["msteams"];

    public static async Task<FakeConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeConnector(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Url = address.TrimEnd('/');
        return fake;
    }

    /// <summary>Answers the next connector call with <paramref name="status"/> (and optional Retry-After / error code).</summary>
    public void Inject(HttpStatusCode status, string? retryAfter = null, string? errorCode = null) =>
        _injected.Enqueue(async response =>
        {
            response.StatusCode = (int)status;
            if (retryAfter is not null)
            {
                response.Headers.RetryAfter = retryAfter;
            }

            await response.WriteAsJsonAsync(new { error = new { code = errorCode ?? status.ToString(), message = "injected" } });
        });

    /// <summary>A Connector-style JWT for an activity. Parameters break one check at a time.</summary>
    public string CreateToken(
        string audience,
        string? serviceUrl = null,
        string issuer = Issuer,
        DateTime? expires = null,
        DateTime? notBefore = null,
        bool sign = true,
        bool otherKey = false)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = notBefore ?? now.AddMinutes(-1),
            IssuedAt = (notBefore ?? now.AddMinutes(-1)),
            Expires = expires ?? now.AddMinutes(60),
            Subject = new ClaimsIdentity([new Claim("serviceurl", serviceUrl ?? ServiceUrl)]),
        };
        if (sign)
        {
            var key = otherKey
                ? new RsaSecurityKey(_otherRsa) { KeyId = "unknown-key" }
                : new RsaSecurityKey(_rsa) { KeyId = KeyId };
            descriptor.SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A token as the Bot Framework Emulator sends it: issued by Entra ID for the bot's app id, no serviceurl claim.</summary>
    public string CreateEmulatorToken(string audience, string appId, string version = "1.0", string tenant = "d6d49420-f39b-4df7-a1dc-d59a935871db")
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["ver"] = version, [version == "2.0" ? "azp" : "appid"] = appId, ["tid"] = tenant };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = version == "2.0" ? $"https://login.microsoftonline.com/{tenant}/v2.0" : $"https://sts.windows.net/{tenant}/",
            Audience = audience,
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now.AddMinutes(-1),
            Expires = now.AddMinutes(60),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_entraRsa) { KeyId = "entra-key-1" }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Waits until at least <paramref name="count"/> connector calls were recorded.</summary>
    public async Task<ConnectorCall[]> WaitForCallsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Calls.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} connector calls, got {Calls.Count}: " + string.Join(" | ", Calls.Select(c => c.RawTarget)));
            }

            await Task.Delay(25);
        }

        return [.. Calls];
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (request.Method == "GET" && path == "/v1/.well-known/openidconfiguration")
        {
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = Url + "/v1/authorize",
                ["jwks_uri"] = Url + "/v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
            });
            return;
        }

        if (request.Method == "GET" && path == "/entra/v2.0/.well-known/openid-configuration")
        {
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0",
                ["authorization_endpoint"] = Url + "/entra/authorize",
                ["jwks_uri"] = Url + "/entra/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
            return;
        }

        if (request.Method == "GET" && path == "/entra/keys")
        {
            var ep = _entraRsa.ExportParameters(false);
            await context.Response.WriteAsJsonAsync(new
            {
                keys = new[] { new { kty = "RSA", use = "sig", kid = "entra-key-1", n = Base64UrlEncoder.Encode(ep.Modulus), e = Base64UrlEncoder.Encode(ep.Exponent) } },
            });
            return;
        }

        if (request.Method == "GET" && path == "/v1/.well-known/keys")
        {
            Interlocked.Increment(ref _keySetRequests);
            var p = _rsa.ExportParameters(false);
            await context.Response.WriteAsJsonAsync(new
            {
                keys = new[]
                {
                    new
                    {
                        kty = "RSA",
                        use = "sig",
                        kid = KeyId,
                        n = Base64UrlEncoder.Encode(p.Modulus),
                        e = Base64UrlEncoder.Encode(p.Exponent),
                        endorsements = Endorsements,
                    },
                },
            });
            return;
        }

        if (request.Method == "POST" && path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            var form = await request.ReadFormAsync();
            TokenRequests.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            TokenPaths.Enqueue(path);
            Interlocked.Increment(ref _tokenRequests);
            await context.Response.WriteAsJsonAsync(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = AccessToken });
            return;
        }

        if (path.Contains("/v3/conversations/", StringComparison.Ordinal))
        {
            var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject ?? [];
            var auth = request.Headers.Authorization.ToString();
            Calls.Enqueue(new ConnectorCall(request.Method, raw, auth.Length == 0 ? null : auth, body, _clock.Elapsed));
            if (_injected.TryDequeue(out var inject))
            {
                await inject(context.Response);
                return;
            }

            context.Response.StatusCode = request.Method == "POST" ? 201 : 200;
            await context.Response.WriteAsJsonAsync(new { id = "bot-msg-" + Interlocked.Increment(ref _replyIds) });
            return;
        }

        context.Response.StatusCode = 404;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
        _otherRsa.Dispose();
        _entraRsa.Dispose();
        foreach (var r in _retired)
        {
            r.Dispose();
        }
    }
}
