using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.Zalo;

/// <summary>The answer of one Zalo call: <c>error</c> 0 is success (Zalo answers errors with HTTP 200 too).</summary>
public sealed record ZaloResult(int Error, string? Message, string? MessageId, int HttpStatus)
{
    public bool Success => Error == 0 && HttpStatus is >= 200 and < 300;

    public override string ToString() => $"{Error} {Message} (HTTP {HttpStatus})".Trim();
}

/// <summary>A renewed token pair.</summary>
public sealed record ZaloTokenGrant(string AccessToken, string RefreshToken, TimeSpan ExpiresIn);

/// <summary>Zalo OA Open API v3 (customer-service messages) and OAuth v4 (token renewal) over <see cref="HttpClient"/>.</summary>
public sealed class ZaloApiClient(HttpClient http, IOptions<ZaloOptions> options)
{
    public const int TokenInvalid = -216;
    public const int TokenExpired = -220;
    public const int NotFollowing = -213;
    public const int NoRecentInteraction = -230;
    public const int NoRecentInteractionPaid = -232;
    public const int RateLimited = -32;
    public const int OutOfQuota = -211;
    public const int RecipientOutOfQuota = -218;

    /// <summary><c>POST {ApiBaseUrl}/v3.0/oa/message/cs</c> with the <c>access_token</c> header.</summary>
    public async Task<ZaloResult> SendMessageAsync(string accessToken, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.ApiBaseUrl.TrimEnd('/') + "/v3.0/oa/message/cs")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.TryAddWithoutValidation("access_token", accessToken);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var json = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var error = Int(json, "error") ?? (response.IsSuccessStatusCode ? 0 : -1);
        var messageId = json?["data"] is JsonObject data ? Str(data, "message_id") : null;
        return new ZaloResult(error, Str(json, "message") ?? (json is null ? response.ReasonPhrase : null), messageId, (int)response.StatusCode);
    }

    /// <summary>
    /// <c>POST {OAuthBaseUrl}/v4/oa/access_token</c> (form: refresh_token, app_id, grant_type=refresh_token; header secret_key).
    /// Returns the new pair, or the error Zalo gave (checked in the body: a refused refresh may come with HTTP 200).
    /// </summary>
    public async Task<(ZaloTokenGrant? Grant, string? Error)> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, o.OAuthBaseUrl.TrimEnd('/') + "/v4/oa/access_token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["refresh_token"] = refreshToken,
                ["app_id"] = o.AppId ?? "",
                ["grant_type"] = "refresh_token",
            }),
        };
        request.Headers.TryAddWithoutValidation("secret_key", o.AppSecret ?? "");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var json = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var access = Str(json, "access_token");
        var refresh = Str(json, "refresh_token");
        var expires = Str(json, "expires_in");
        if (response.IsSuccessStatusCode && !string.IsNullOrEmpty(access) && !string.IsNullOrEmpty(refresh)
            && double.TryParse(expires, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return (new ZaloTokenGrant(access, refresh, TimeSpan.FromSeconds(seconds)), null);
        }

        var error = json is null
            ? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"
            : $"{Str(json, "error")} {Str(json, "error_name")} {Str(json, "error_description") ?? Str(json, "error_reason")} (HTTP {(int)response.StatusCode})".Trim();
        return (null, error);
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonObject? json, string name) => json?[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static int? Int(JsonObject? json, string name) =>
        int.TryParse(Str(json, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null;
}
