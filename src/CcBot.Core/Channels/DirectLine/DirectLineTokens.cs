using System.Security.Cryptography;
using System.Text;
using CcBot.Core.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CcBot.Core.Channels.DirectLine;

/// <summary>What a valid token grants: one conversation, one bound user.</summary>
public sealed record DirectLineGrant(string ConversationId, string UserId, DateTimeOffset ExpiresAt);

public enum TokenCheck
{
    Valid,
    Missing,
    Invalid,
    Expired,
}

/// <summary>
/// Conversation tokens as HS256 JWTs (Microsoft.IdentityModel.JsonWebTokens) carrying <c>conv</c> and <c>user</c> claims
/// (DirectLineJS reads <c>user</c>), signed with a key from configuration or generated once and stored in the database.
/// Expiry is checked against the injected clock.
/// </summary>
public sealed class DirectLineTokens(IOptions<DirectLineOptions> options, ISettingsStore settings, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private byte[]? _key;

    public int LifetimeSeconds => options.Value.TokenLifetimeSeconds;

    public async Task<string> IssueAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["conv"] = conversationId, ["user"] = userId },
            IssuedAt = now.UtcDateTime,
            Expires = now.AddSeconds(options.Value.TokenLifetimeSeconds).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    public async Task<(TokenCheck Check, DirectLineGrant? Grant)> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return (TokenCheck.Missing, null);
        }

        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(key),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false, // checked below against the injected clock
            RequireExpirationTime = true,
        }).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt
            || !jwt.TryGetPayloadValue<string>("conv", out var conversation) || !jwt.TryGetPayloadValue<string>("user", out var user)
            || string.IsNullOrEmpty(conversation) || string.IsNullOrEmpty(user))
        {
            return (TokenCheck.Invalid, null);
        }

        var exp = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
        var grant = new DirectLineGrant(conversation, user, exp);
        return exp <= clock.GetUtcNow() ? (TokenCheck.Expired, grant) : (TokenCheck.Valid, grant);
    }

    /// <summary>A URL-safe HMAC of <paramref name="data"/> with the token key (for expiring file links).</summary>
    public async Task<string> SignAsync(string data, CancellationToken cancellationToken) =>
        B64(HMACSHA256.HashData(await KeyAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8.GetBytes(data)));

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is not null)
        {
            return _key;
        }

        var configured = options.Value.TokenSigningKey;
        var text = !string.IsNullOrWhiteSpace(configured)
            ? configured
            : await settings.GetOrCreateAsync("directline.signing_key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), cancellationToken).ConfigureAwait(false);
        return _key = SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    private static string B64(byte[] data) => Base64UrlEncoder.Encode(data);
}
