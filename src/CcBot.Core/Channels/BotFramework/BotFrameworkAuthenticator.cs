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
    private readonly SemaphoreSlim _endorsementLock = new(1, 1);
    private EndorsementSet _endorsements = EndorsementSet.Empty;

    public BotFrameworkAuthenticator(IOptions<BotFrameworkOptions> options, IHttpClientFactory httpFactory, TimeProvider clock, ILogger<BotFrameworkAuthenticator> logger)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _http = httpFactory.CreateClient(HttpClientName);
        var requireHttps = _options.OpenIdMetadataUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            _options.OpenIdMetadataUrl,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(_http) { RequireHttps = requireHttps })
        {
            AutomaticRefreshInterval = Clamp(_options.KeyRefreshInterval, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1)),
            RefreshInterval = TimeSpan.FromSeconds(30),
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
        if (!_handler.CanReadToken(token))
        {
            return BotFrameworkAuthResult.Fail("unreadable token");
        }

        var result = await ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key we do not know: the Connector may have rotated its keys. Refresh once and try again.
            _configuration.RequestRefresh();
            result = await ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            return BotFrameworkAuthResult.Fail(result.Exception?.GetType().Name + ": " + result.Exception?.Message);
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var kid = jwt.Kid ?? result.SecurityToken.SigningKey?.KeyId;
        if (string.IsNullOrEmpty(kid))
        {
            return BotFrameworkAuthResult.Fail("token has no key id");
        }

        var endorsements = await GetEndorsementsAsync(kid, cancellationToken).ConfigureAwait(false);
        if (endorsements is null || !endorsements.Contains(channelId))
        {
            return BotFrameworkAuthResult.Fail($"signing key {kid} is not endorsed for channel '{channelId}'");
        }

        var claimedServiceUrl = result.ClaimsIdentity.FindFirst("serviceurl")?.Value;
        if (claimedServiceUrl is null || !string.Equals(claimedServiceUrl, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return BotFrameworkAuthResult.Fail("serviceurl claim does not match the activity's serviceUrl");
        }

        return new BotFrameworkAuthResult(true, null, result.ClaimsIdentity);
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration config;
        try
        {
            config = await _configuration.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            _logger.LogError(ex, "Bot Framework OpenID metadata unavailable at {Url}", _options.OpenIdMetadataUrl);
            return new TokenValidationResult { IsValid = false, Exception = ex };
        }

        var algorithms = config.IdTokenSigningAlgValuesSupported.Count > 0
            ? config.IdTokenSigningAlgValuesSupported.Where(a => a == SecurityAlgorithms.RsaSha256).ToArray()
            : [SecurityAlgorithms.RsaSha256];
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.AppId,
            IssuerSigningKeys = config.SigningKeys,
            ValidAlgorithms = algorithms.Length == 0 ? [SecurityAlgorithms.RsaSha256] : algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,
            LifetimeValidator = ValidateLifetime,
            TryAllIssuerSigningKeys = false,
        };
        return await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
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

    /// <summary>The endorsements of key <paramref name="kid"/> from the raw JWKS (the metadata classes drop them).</summary>
    private async Task<IReadOnlySet<string>?> GetEndorsementsAsync(string kid, CancellationToken cancellationToken)
    {
        var current = _endorsements;
        var now = _clock.GetUtcNow();
        if (current.ByKid.TryGetValue(kid, out var found) && now - current.FetchedAt < _configuration.AutomaticRefreshInterval)
        {
            return found;
        }

        await _endorsementLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _endorsements;
            if (current.ByKid.TryGetValue(kid, out found) && now - current.FetchedAt < _configuration.AutomaticRefreshInterval)
            {
                return found;
            }

            var config = await _configuration.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            var jwksUri = config.JwksUri;
            if (string.IsNullOrEmpty(jwksUri))
            {
                return null;
            }

            using var response = await _http.GetAsync(new Uri(jwksUri), cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            _endorsements = current = EndorsementSet.Parse(json, now);
            return current.ByKid.TryGetValue(kid, out found) ? found : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
        {
            _logger.LogError(ex, "Cannot read the Bot Framework signing keys' endorsements");
            return current.ByKid.TryGetValue(kid, out found) ? found : null;
        }
        finally
        {
            _endorsementLock.Release();
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    private sealed record EndorsementSet(IReadOnlyDictionary<string, IReadOnlySet<string>> ByKid, DateTimeOffset FetchedAt)
    {
        public static readonly EndorsementSet Empty = new(new Dictionary<string, IReadOnlySet<string>>(), DateTimeOffset.MinValue);

        public static EndorsementSet Parse(string json, DateTimeOffset at)
        {
            var byKid = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array)
            {
                foreach (var key in keys.EnumerateArray())
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
                            if (item.GetString() is { } s)
                            {
                                set.Add(s);
                            }
                        }
                    }

                    byKid[kid] = set;
                }
            }

            return new EndorsementSet(byKid, at);
        }
    }
}
