using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>Result of checking one inbound request: the principal, or why it was refused.</summary>
public sealed record BotFrameworkAuthResult(bool Succeeded, string? Error, ClaimsIdentity? Identity)
{
    public static BotFrameworkAuthResult Fail(string error) => new(false, error, null);
}

/// <summary>
/// Authenticates requests from the Bot Connector service the way the Connector expects (protocols.md B2):
/// bearer JWT, RS256 signature with a key from the OpenID metadata's <c>jwks_uri</c>, issuer, audience = app id,
/// lifetime with clock skew, the signing key's <c>endorsements</c> containing the activity's channel id,
/// and the <c>serviceurl</c> claim equal to the activity's serviceUrl.
/// Tokens of the Bot Framework Emulator (Entra ID issuers, B7) are accepted only for channel <c>emulator</c>,
/// with their own keys and the <c>appid</c>/<c>azp</c> check instead of endorsements and serviceurl.
/// </summary>
public sealed class BotFrameworkAuthenticator
{
    /// <summary>Name of the HttpClient used for metadata and key downloads.</summary>
    public const string HttpClientName = "botframework-auth";

    private readonly BotFrameworkOptions _options;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SigningKeySource _connectorKeys;
    private readonly SigningKeySource _emulatorKeys;
    private readonly HashSet<string> _emulatorIssuers;

    public BotFrameworkAuthenticator(IOptions<BotFrameworkOptions> options, IHttpClientFactory httpFactory, TimeProvider clock, ILogger<BotFrameworkAuthenticator> logger)
    {
        _options = options.Value;
        _clock = clock;
        var refresh = Clamp(_options.KeyRefreshInterval, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        _connectorKeys = new SigningKeySource(_options.OpenIdMetadataUrl, httpFactory.CreateClient(HttpClientName), clock, refresh, logger);
        _emulatorKeys = new SigningKeySource(_options.EmulatorOpenIdMetadataUrl, httpFactory.CreateClient(HttpClientName), clock, refresh, logger);
        _emulatorIssuers = new HashSet<string>(_options.GetEmulatorIssuers(), StringComparer.Ordinal);
    }

    /// <summary>Checks the <c>Authorization</c> header against the activity's channel id and service URL.</summary>
    public async Task<BotFrameworkAuthResult> AuthenticateAsync(string? authorization, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return BotFrameworkAuthResult.Fail("missing bearer token");
        }

        if (string.IsNullOrWhiteSpace(channelId) || string.IsNullOrWhiteSpace(serviceUrl))
        {
            return BotFrameworkAuthResult.Fail("activity without channelId or serviceUrl");
        }

        var token = authorization["Bearer ".Length..].Trim();
        JsonWebToken parsed;
        try
        {
            parsed = _handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return BotFrameworkAuthResult.Fail("unreadable token");
        }

        if (string.IsNullOrEmpty(parsed.Kid))
        {
            return BotFrameworkAuthResult.Fail("token has no key id");
        }

        var fromEmulator = parsed.TryGetPayloadValue<string>("iss", out var iss) && _emulatorIssuers.Contains(iss);
        if (fromEmulator && channelId != "emulator")
        {
            return BotFrameworkAuthResult.Fail($"Emulator token used for channel '{channelId}'");
        }

        var source = fromEmulator ? _emulatorKeys : _connectorKeys;
        SigningKeySet keys;
        try
        {
            keys = await source.GetKeysAsync(parsed.Kid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or JsonException or ArgumentException)
        {
            source.Logger.LogError(ex, "Bot Framework signing keys unavailable (metadata {Url})", source.MetadataUrl);
            return BotFrameworkAuthResult.Fail("signing keys unavailable");
        }

        if (!keys.Endorsements.TryGetValue(parsed.Kid, out var endorsements))
        {
            return BotFrameworkAuthResult.Fail($"unknown signing key {parsed.Kid}");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuers = fromEmulator ? _emulatorIssuers : [_options.Issuer],
            ValidAudience = _options.AppId,
            IssuerSigningKeys = keys.SigningKeys,
            ValidAlgorithms = keys.Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,
            LifetimeValidator = ValidateLifetime,
            TryAllIssuerSigningKeys = false,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return BotFrameworkAuthResult.Fail(result.Exception?.GetType().Name + ": " + result.Exception?.Message);
        }

        if (fromEmulator)
        {
            // v1.0 tokens name the client in "appid", v2.0 tokens in "azp" (B7.3).
            var version = result.ClaimsIdentity.FindFirst("ver")?.Value;
            var client = result.ClaimsIdentity.FindFirst(version == "2.0" ? "azp" : "appid")?.Value;
            return string.Equals(client, _options.AppId, StringComparison.OrdinalIgnoreCase)
                ? new BotFrameworkAuthResult(true, null, result.ClaimsIdentity)
                : BotFrameworkAuthResult.Fail("Emulator token for another app (appid/azp)");
        }

        if (!endorsements.Contains(channelId))
        {
            return BotFrameworkAuthResult.Fail($"signing key {parsed.Kid} is not endorsed for channel '{channelId}'");
        }

        var claimedServiceUrl = result.ClaimsIdentity.FindFirst("serviceurl")?.Value;
        if (claimedServiceUrl is null || !string.Equals(claimedServiceUrl, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return BotFrameworkAuthResult.Fail("serviceurl claim does not match the activity's serviceUrl");
        }

        return new BotFrameworkAuthResult(true, null, result.ClaimsIdentity);
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore is { } nbf && nbf > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException($"The token is not valid before {nbf:O}.") { NotBefore = nbf };
        }

        if (expires.Value < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException($"The token expired at {expires:O}.") { Expires = expires.Value };
        }

        return true;
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}

/// <summary>One download of a JWKS: the RSA signing keys and, per kid, the channels the key is endorsed for.</summary>
internal sealed record SigningKeySet(IReadOnlyList<SecurityKey> SigningKeys, IReadOnlyDictionary<string, IReadOnlySet<string>> Endorsements, string[] Algorithms, DateTimeOffset FetchedAt)
{
    public static readonly SigningKeySet Empty = new([], new Dictionary<string, IReadOnlySet<string>>(), [SecurityAlgorithms.RsaSha256], DateTimeOffset.MinValue);

    public static SigningKeySet Parse(string json, string[] algorithms, DateTimeOffset at)
    {
        var keys = new JsonWebKeySet(json).GetSigningKeys().Where(k => k is JsonWebKey { Kty: "RSA" } || k is RsaSecurityKey).ToList();
        var byKid = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.TryGetProperty("keys", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var key in array.EnumerateArray())
            {
                if (!key.TryGetProperty("kid", out var kidElement) || kidElement.GetString() is not { } kid)
                {
                    continue;
                }

                var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                if (key.TryGetProperty("endorsements", out var e) && e.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in e.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String && item.GetString() is { } s)
                        {
                            set.Add(s);
                        }
                    }
                }

                byKid[kid] = set;
            }
        }

        return new SigningKeySet(keys, byKid, algorithms, at);
    }
}

/// <summary>
/// Signing keys behind one OpenID metadata document: the metadata through <see cref="ConfigurationManager{T}"/>, the raw
/// JWKS from its <c>jwks_uri</c> (the metadata classes drop <c>endorsements</c>). Refreshed when older than the
/// refresh interval, and on an unknown <c>kid</c> (key rotation) at most every 30 seconds.
/// </summary>
internal sealed class SigningKeySource
{
    private static readonly TimeSpan ForcedRefreshMinInterval = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _refreshInterval;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private SigningKeySet _keys = SigningKeySet.Empty;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    public SigningKeySource(string metadataUrl, HttpClient http, TimeProvider clock, TimeSpan refreshInterval, ILogger logger)
    {
        MetadataUrl = metadataUrl;
        Logger = logger;
        _http = http;
        _clock = clock;
        _refreshInterval = refreshInterval;
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            metadataUrl,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = metadataUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) })
        {
            AutomaticRefreshInterval = refreshInterval,
            RefreshInterval = ForcedRefreshMinInterval,
        };
    }

    public string MetadataUrl { get; }

    public ILogger Logger { get; }

    public async Task<SigningKeySet> GetKeysAsync(string kid, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var current = _keys;
        if (now - current.FetchedAt < _refreshInterval && current.Endorsements.ContainsKey(kid))
        {
            return current;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _keys;
            var fresh = now - current.FetchedAt < _refreshInterval;
            if (fresh && current.Endorsements.ContainsKey(kid))
            {
                return current;
            }

            if (fresh)
            {
                // Unknown kid on fresh keys: maybe a rotation. Refetch, but not more often than the minimum interval.
                if (now - _lastForcedRefresh < ForcedRefreshMinInterval)
                {
                    return current;
                }

                _lastForcedRefresh = now;
                _configuration.RequestRefresh();
            }

            var config = await _configuration.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(config.JwksUri))
            {
                throw new InvalidOperationException("The OpenID metadata has no jwks_uri.");
            }

            using var response = await _http.GetAsync(new Uri(config.JwksUri), cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var algorithms = config.IdTokenSigningAlgValuesSupported.Where(a => a == SecurityAlgorithms.RsaSha256).ToArray();
            _keys = current = SigningKeySet.Parse(json, algorithms.Length > 0 ? algorithms : [SecurityAlgorithms.RsaSha256], now);
            Logger.LogInformation("Signing keys loaded from {Url}: {Kids}", MetadataUrl, string.Join(", ", current.Endorsements.Keys));
            return current;
        }
        finally
        {
            _lock.Release();
        }
    }
}
