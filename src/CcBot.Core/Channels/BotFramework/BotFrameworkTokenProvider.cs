using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>
/// The bot's outbound access token (protocols.md B3): OAuth client credentials against the Entra ID token endpoint,
/// cached until five minutes before expiry; concurrent callers share one refresh.
/// </summary>
public sealed class BotFrameworkTokenProvider(HttpClient http, IOptions<BotFrameworkOptions> options, TimeProvider clock, ILogger<BotFrameworkTokenProvider> logger)
{
    public const string HttpClientName = "botframework-token";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private CachedToken? _cached;

    /// <summary>False when no app id/password is configured: requests go out without Authorization (Emulator).</summary>
    public bool HasCredentials => !string.IsNullOrWhiteSpace(options.Value.AppId) && !string.IsNullOrWhiteSpace(options.Value.AppPassword);

    /// <summary>A valid access token, or null without credentials.</summary>
    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (!HasCredentials)
        {
            return null;
        }

        var cached = _cached;
        if (cached is not null && clock.GetUtcNow() < cached.RefreshAt)
        {
            return cached.AccessToken;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cached = _cached;
            if (cached is not null && clock.GetUtcNow() < cached.RefreshAt)
            {
                return cached.AccessToken;
            }

            _cached = cached = await RequestAsync(cancellationToken).ConfigureAwait(false);
            return cached.AccessToken;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Drops the cached token (after the connector answered 401).</summary>
    public void Invalidate(string rejectedToken)
    {
        var cached = _cached;
        if (cached is not null && cached.AccessToken == rejectedToken)
        {
            Interlocked.CompareExchange(ref _cached, null, cached);
        }
    }

    private async Task<CachedToken> RequestAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = o.AppId!,
            ["client_secret"] = o.AppPassword!,
            ["scope"] = o.Scope,
        });
        var requestedAt = clock.GetUtcNow();
        using var response = await http.PostAsync(new Uri(o.ResolvedTokenEndpoint), body, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogError("Bot Framework token request failed: {Status} {Body}", (int)response.StatusCode, json.Length > 500 ? json[..500] : json);
            throw new HttpRequestException($"Token endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var token = root.TryGetProperty("access_token", out var t) ? t.GetString() : null;
        if (string.IsNullOrEmpty(token))
        {
            throw new HttpRequestException("Token endpoint answered without access_token.");
        }

        var expiresIn = root.TryGetProperty("expires_in", out var e) && (e.ValueKind == JsonValueKind.Number ? e.TryGetInt32(out var n) : int.TryParse(e.GetString(), out n)) ? n : 3600;
        var lifetime = TimeSpan.FromSeconds(expiresIn);
        var refreshAt = requestedAt + (lifetime > RefreshMargin * 2 ? lifetime - RefreshMargin : lifetime / 2);
        return new CachedToken(token, refreshAt);
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RefreshAt);
}
