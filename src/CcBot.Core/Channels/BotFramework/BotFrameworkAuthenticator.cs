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
/// </summary>
public sealed class BotFrameworkAuthenticator
{
    /// <summary>Name of the HttpClient used for metadata and key downloads.</summary>
    public const string HttpClientName = "botframework-auth";

    private readonly BotFrameworkOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<BotFrameworkAuthenticator> _logger;
    private readonly HttpClient _http;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly TimeSpan _refreshInterval;
    private KeySet _keys = KeySet.Empty;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    /// <summary>Unknown key ids force a key download at most this often (a flood of forged kids cannot hammer the Connector).</summary>
    private static readonly TimeSpan ForcedRefreshMinInterval = TimeSpan.FromSeconds(30);

    public BotFrameworkAuthenticator(IOptions<BotFrameworkOptions> options, IHttpClientFactory httpFactory, TimeProvider clock, ILogger<BotFrameworkAuthenticator> logger)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _http = httpFactory.CreateClient(HttpClientName);
        _refreshInterval = Clamp(_options.KeyRefreshInterval, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        var requireHttps = _options.OpenIdMetadataUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            _options.OpenIdMetadataUrl,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(_http) { RequireHttps = requireHttps })
        {
            AutomaticRefreshInterval = _refreshInterval,
            RefreshInterval = ForcedRefreshMinInterval,
        };
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

        KeySet keys;
        try
        {
            keys = await GetKeysAsync(parsed.Kid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or JsonException or ArgumentException)
        {
            _logger.LogError(ex, "Bot Framework signing keys unavailable (metadata {Url})", _options.OpenIdMetadataUrl);
            return BotFrameworkAuthResult.Fail("signing keys unavailable");
        }

        if (!keys.Endorsements.TryGetValue(parsed.Kid, out var endorsements))
        {
            return BotFrameworkAuthResult.Fail($"unknown signing key {parsed.Kid}");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
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

    /// <summary>
    /// The current keys: downloaded from the metadata's <c>jwks_uri</c> when older than the refresh interval, or when
    /// <paramref name="kid"/> is unknown (key rotation; rate-limited). The raw JWKS is read here because the
    /// metadata classes drop the <c>endorsements</c> of each key.
    /// </summary>
    private async Task<KeySet> GetKeysAsync(string kid, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var current = _keys;
        var fresh = now - current.FetchedAt < _refreshInterval;
        if (fresh && current.Endorsements.ContainsKey(kid))
        {
            return current;
        }

        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _keys;
            fresh = now - current.FetchedAt < _refreshInterval;
            if (fresh && current.Endorsements.ContainsKey(kid))
            {
                return current;
            }

            var forced = fresh;
            if (forced)
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
            _keys = current = KeySet.Parse(json, algorithms.Length > 0 ? algorithms : [SecurityAlgorithms.RsaSha256], now);
            _logger.LogInformation("Bot Framework signing keys loaded: {Kids}", string.Join(", ", current.Endorsements.Keys));
            return current;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    /// <summary>One download of the JWKS: the RSA signing keys and, per kid, the channels the key is endorsed for.</summary>
    private sealed record KeySet(IReadOnlyList<SecurityKey> SigningKeys, IReadOnlyDictionary<string, IReadOnlySet<string>> Endorsements, string[] Algorithms, DateTimeOffset FetchedAt)
    {
        public static readonly KeySet Empty = new([], new Dictionary<string, IReadOnlySet<string>>(), [SecurityAlgorithms.RsaSha256], DateTimeOffset.MinValue);

        public static KeySet Parse(string json, string[] algorithms, DateTimeOffset at)
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

            return new KeySet(keys, byKid, algorithms, at);
        }
    }
}
