using System.Security.Cryptography;
using System.Text;

namespace CcBot.Core.Channels.Zalo;

/// <summary>
/// The webhook signature: header <c>X-ZEvent-Signature: mac=&lt;hex&gt;</c>, hex = SHA-256 (plain, not HMAC) of
/// app id + raw body + the body's <c>timestamp</c> + OA secret key. Compared in constant time.
/// </summary>
public static class ZaloSignature
{
    public const string Header = "X-ZEvent-Signature";

    public static string Compute(string appId, string rawBody, string timestamp, string oaSecretKey)
    {
        var bytes = Encoding.UTF8.GetBytes(appId + rawBody + timestamp + oaSecretKey);
        return "mac=" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public static bool Verify(string? header, string appId, string rawBody, string timestamp, string oaSecretKey)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(appId, rawBody, timestamp, oaSecretKey));
        var given = Encoding.ASCII.GetBytes(header.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
