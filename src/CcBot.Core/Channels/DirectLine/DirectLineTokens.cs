using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CcBot.Core.Storage;
using Microsoft.Extensions.Options;

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
/// Conversation tokens as HS256 JWTs carrying <c>conv</c> and <c>user</c> claims (DirectLineJS reads <c>user</c>),
/// signed with a key from configuration or generated once and stored in the database.
/// </summary>
public sealed class DirectLineTokens(IOptions<DirectLineOptions> options, ISettingsStore settings, TimeProvider clock)
{
    private byte[]? _key;

    public int LifetimeSeconds => options.Value.TokenLifetimeSeconds;

    public async Task<string> IssueAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var header = B64(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = new JsonObject
        {
            ["conv"] = conversationId,
            ["user"] = userId,
            ["iat"] = now,
            ["exp"] = now + options.Value.TokenLifetimeSeconds,
        };
        var body = B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = B64(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(header + "." + body)));
        return header + "." + body + "." + signature;
    }

    public async Task<(TokenCheck Check, DirectLineGrant? Grant)> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return (TokenCheck.Missing, null);
        }

        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (TokenCheck.Invalid, null);
        }

        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        byte[] given;
        try
        {
            given = FromB64(parts[2]);
        }
        catch (FormatException)
        {
            return (TokenCheck.Invalid, null);
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return (TokenCheck.Invalid, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(FromB64(parts[1]));
            var root = doc.RootElement;
            var exp = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64());
            var grant = new DirectLineGrant(root.GetProperty("conv").GetString()!, root.GetProperty("user").GetString()!, exp);
            return exp <= clock.GetUtcNow() ? (TokenCheck.Expired, grant) : (TokenCheck.Valid, grant);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (TokenCheck.Invalid, null);
        }
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

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t.PadRight(t.Length + ((4 - (t.Length % 4)) % 4), '='));
    }
}
