namespace CcBot.Core.Channels.Zalo;

/// <summary>
/// Bound from the <c>Zalo</c> configuration section. The channel is on when <see cref="AppId"/> is set; then every
/// other required value must be valid or start-up stops naming the key.
/// </summary>
public sealed class ZaloOptions
{
    public const string Section = "Zalo";

    /// <summary>The Zalo app's id (developers.zalo.me → the app → "ID ứng dụng"). Empty: the Zalo channel is off.</summary>
    public string? AppId { get; set; }

    /// <summary>The OA secret key of the app's webhook settings ("OA Secret Key"): signs every webhook event. Not the app secret.</summary>
    public string? OaSecretKey { get; set; }

    /// <summary>The app secret ("Khóa bí mật của ứng dụng"): sent as <c>secret_key</c> when the access token is renewed.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The OA's id (shown on the OA's page); used for <c>zalo link</c>.</summary>
    public string? OaId { get; set; }

    /// <summary>First run only: an access token (later ones are renewed and kept in the database).</summary>
    public string? AccessToken { get; set; }

    /// <summary>First run only: the refresh token issued with <see cref="AccessToken"/> (used once, then replaced in the database).</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Zalo OA Open API root (<c>/v3.0/oa/message/cs</c> is appended).</summary>
    public string ApiBaseUrl { get; set; } = "https://openapi.zalo.me";

    /// <summary>OAuth root (<c>/v4/oa/access_token</c> is appended).</summary>
    public string OAuthBaseUrl { get; set; } = "https://oauth.zaloapp.com";

    /// <summary>
    /// Oldest event accepted (by its own timestamp). Zalo re-sends an unacknowledged event after 30 s, 5, 15, 30 and
    /// 60 minutes (older documents: for up to 12 hours), so the window covers that ladder; older events get 401.
    /// </summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromHours(13);

    /// <summary>How far an event's timestamp may be ahead of this host's clock.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Renew the access token this long before it expires (Zalo issues it for 25 hours).</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one instance holds the renewal lease; others wait and read the new token.</summary>
    public TimeSpan RenewLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests per second to the message API over all users (Zalo allows about 4,000 a minute per app).</summary>
    public double RatePerSecond { get; set; } = 50;

    /// <summary>Attempts of one send on a rate-limit answer before the reply is left for the outbox's retry.</summary>
    public int MaxSendAttempts { get; set; } = 3;

    /// <summary>When Zalo answers "out of quota" (-211/-218), the message is tried again after this long.</summary>
    public TimeSpan QuotaRetryAfter { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>Configuration errors, each naming its key; empty when valid or when the channel is off.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
        {
            return errors;
        }

        if (!AppId!.All(char.IsAsciiDigit))
        {
            errors.Add("Zalo:AppId must be the app's numeric id from developers.zalo.me.");
        }

        if (string.IsNullOrWhiteSpace(OaSecretKey))
        {
            errors.Add("Zalo:OaSecretKey is required: webhook events cannot be verified without it (app → Webhook → OA Secret Key).");
        }

        if (string.IsNullOrWhiteSpace(AppSecret))
        {
            errors.Add("Zalo:AppSecret is required to renew the OA access token (app → Thông tin ứng dụng → Khóa bí mật).");
        }

        if (!string.IsNullOrEmpty(OaId) && !OaId.All(char.IsAsciiDigit))
        {
            errors.Add("Zalo:OaId must be the OA's numeric id.");
        }

        foreach (var (key, value) in new[] { ("Zalo:ApiBaseUrl", ApiBaseUrl), ("Zalo:OAuthBaseUrl", OAuthBaseUrl) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{key} must be an absolute http(s) URL (got '{value}').");
            }
        }

        if (MaxEventAge < TimeSpan.FromMinutes(1) || MaxEventAge > TimeSpan.FromDays(2))
        {
            errors.Add("Zalo:MaxEventAge must be between 00:01:00 and 2.00:00:00 (Zalo re-sends events for up to 12 hours).");
        }

        if (MaxClockSkew < TimeSpan.Zero || MaxClockSkew > TimeSpan.FromHours(1))
        {
            errors.Add("Zalo:MaxClockSkew must be between 0 and 01:00:00.");
        }

        if (RenewBefore < TimeSpan.FromMinutes(1) || RenewBefore > TimeSpan.FromHours(20))
        {
            errors.Add("Zalo:RenewBefore must be between 00:01:00 and 20:00:00 (the access token lives 25 hours).");
        }

        if (RenewLease < TimeSpan.FromSeconds(5) || RenewLease > TimeSpan.FromMinutes(10))
        {
            errors.Add("Zalo:RenewLease must be between 00:00:05 and 00:10:00.");
        }

        if (!(RatePerSecond > 0) || RatePerSecond > 66)
        {
            errors.Add("Zalo:RatePerSecond must be above 0 and at most 66 (Zalo allows about 4,000 requests a minute).");
        }

        if (QuotaRetryAfter < TimeSpan.FromSeconds(1) || QuotaRetryAfter > TimeSpan.FromDays(1))
        {
            errors.Add("Zalo:QuotaRetryAfter must be between 00:00:01 and 1.00:00:00.");
        }

        if (MaxSendAttempts is < 1 or > 10)
        {
            errors.Add("Zalo:MaxSendAttempts must be between 1 and 10.");
        }

        if (AccessToken is { Length: > 0 } != RefreshToken is { Length: > 0 })
        {
            errors.Add("Zalo:AccessToken and Zalo:RefreshToken go together (both from the same grant), or neither once the database holds them.");
        }

        return errors;
    }
}
