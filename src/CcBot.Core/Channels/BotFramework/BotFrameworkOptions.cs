namespace CcBot.Core.Channels.BotFramework;

/// <summary>Bound from the <c>BotFramework</c> configuration section (Azure Bot registration for Microsoft Teams).</summary>
public sealed class BotFrameworkOptions
{
    public const string Section = "BotFramework";

    /// <summary>Microsoft App ID of the bot. Empty: inbound authentication is OFF (local Emulator testing only).</summary>
    public string? AppId { get; set; }

    /// <summary>Client secret of the app registration (outbound token).</summary>
    public string? AppPassword { get; set; }

    /// <summary>Tenant of a single-tenant registration; empty for multi-tenant (token endpoint uses <c>botframework.com</c>).</summary>
    public string? TenantId { get; set; }

    /// <summary>OpenID metadata of the Bot Connector service; its <c>jwks_uri</c> lists the signing keys and their endorsements.</summary>
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>Token endpoint; <c>{tenant}</c> is replaced by <see cref="TenantId"/> or <c>botframework.com</c>.</summary>
    public string TokenEndpoint { get; set; } = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";

    /// <summary>Scope requested for connector calls.</summary>
    public string Scope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>Required <c>iss</c> of inbound tokens.</summary>
    public string Issuer { get; set; } = "https://api.botframework.com";

    /// <summary>OpenID metadata of the Entra ID tenant that signs Bot Framework Emulator tokens (protocols.md B7.1).</summary>
    public string EmulatorOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration";

    /// <summary>Tenants whose v1/v2 issuers are accepted on Emulator tokens (B7.2); <see cref="TenantId"/> is added when set.</summary>
    public string[] EmulatorTenants { get; set; } = ["d6d49420-f39b-4df7-a1dc-d59a935871db", "f8cdef31-a31e-4b4a-93e4-5f571e91255a"];

    /// <summary>Issuers of Emulator tokens: <c>https://sts.windows.net/{T}/</c> and <c>https://login.microsoftonline.com/{T}/v2.0</c>.</summary>
    public IReadOnlyList<string> GetEmulatorIssuers() =>
    [
        .. EmulatorTenants.Append(TenantId).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)
            .SelectMany(t => new[] { $"https://sts.windows.net/{t}/", $"https://login.microsoftonline.com/{t}/v2.0" }),
    ];

    /// <summary>
    /// Channel ids the bot answers through the Connector. Activities of other channels (e.g. an Azure Direct Line or
    /// Web Chat channel, which would collide with the self-hosted Direct Line) are acknowledged and dropped.
    /// Empty: <c>msteams</c> and <c>emulator</c> (no default in the property: configuration arrays append to defaults).
    /// </summary>
    public string[] Channels { get; set; } = [];

    public IReadOnlyList<string> EffectiveChannels() => Channels.Length > 0 ? [.. Channels.Distinct(StringComparer.Ordinal)] : ["msteams", "emulator"];

    /// <summary>Clock skew allowed on <c>nbf</c>/<c>exp</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the signing keys are refreshed at most (also refreshed on an unknown <c>kid</c>).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Retries of a connector call after 429/412/5xx before the reply is left for the recovery loop.</summary>
    public int MaxSendRetries { get; set; } = 4;

    /// <summary>Longest wait honoured for one <c>Retry-After</c>; longer waits are reported to the pipeline as Retry.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First back-off delay for 5xx/412 (doubled each retry, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Teams app package: the app id in manifest.json. Empty: a stable GUID derived from <see cref="AppId"/>.</summary>
    public string? ManifestAppId { get; set; }

    /// <summary>Teams app package: developer website / privacy / terms URL.</summary>
    public string WebsiteUrl { get; set; } = "https://example.gov.vn/ccbot";

    /// <summary>Teams app package: domains the app may open (besides the bot).</summary>
    public string[] ValidDomains { get; set; } = [];

    /// <summary>Teams app package version.</summary>
    public string ManifestVersion { get; set; } = "1.0.0";

    /// <summary>
    /// Development only: without an app id, open <c>POST /api/messages</c> to the Bot Framework Emulator on this machine
    /// (requests from loopback, replies to a loopback serviceUrl). Off: without an app id the endpoint answers 404.
    /// </summary>
    public bool EmulatorWithoutAuthentication { get; set; }

    /// <summary>Allow serviceUrls on loopback, private and link-local addresses (a Connector inside a private network).</summary>
    public bool AllowPrivateServiceUrls { get; set; }

    public bool AuthenticationEnabled => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>True when <c>POST /api/messages</c> takes activities: with an app id, or in the explicit Emulator mode.</summary>
    public bool EndpointOpen => AuthenticationEnabled || EmulatorWithoutAuthentication;

    public string ResolvedTokenEndpoint =>
        TokenEndpoint.Replace("{tenant}", string.IsNullOrWhiteSpace(TenantId) ? "botframework.com" : TenantId.Trim(), StringComparison.Ordinal);
}
