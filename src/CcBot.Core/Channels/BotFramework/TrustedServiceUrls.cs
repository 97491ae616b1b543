using System.Collections.Concurrent;
using CcBot.Core.Storage;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>Schema of the Bot Framework channel.</summary>
public sealed class BotFrameworkMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0030_botframework", """
            CREATE TABLE trusted_service_urls(
                origin TEXT PRIMARY KEY,
                service_url TEXT NOT NULL,
                channel TEXT NOT NULL,
                first_seen_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL);
            """),
    ];
}

/// <summary>
/// Service URLs seen in authenticated activities. The bot sends its app token only to these hosts
/// (protocols.md B3.3), so a forged conversation reference cannot make it leak the token elsewhere.
/// Trust is per origin (scheme, host, port): Teams uses several paths on one host.
/// </summary>
public sealed class TrustedServiceUrls(SqliteDatabase database, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _known = new(StringComparer.Ordinal);

    /// <summary>The origin a service URL is trusted by: lower-case <c>scheme://host:port</c>; null when not an absolute http(s) URL.</summary>
    public static string? Origin(string? serviceUrl)
    {
        if (string.IsNullOrWhiteSpace(serviceUrl) || !Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        return (uri.Scheme + "://" + uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToLowerInvariant();
    }

    /// <summary>Records a service URL that arrived in an authenticated activity (durably, before the activity is accepted).</summary>
    public async Task TrustAsync(string serviceUrl, string channel, CancellationToken cancellationToken)
    {
        var origin = Origin(serviceUrl) ?? throw new ArgumentException("Not an absolute http(s) URL: " + serviceUrl, nameof(serviceUrl));
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(origin, out var seen) && now - seen < TimeSpan.FromHours(1))
        {
            return;
        }

        await database.WriteAsync((conn, tx) =>
        {
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO trusted_service_urls(origin, service_url, channel, first_seen_at, last_seen_at)
                VALUES ($origin, $url, $channel, $at, $at)
                ON CONFLICT(origin) DO UPDATE SET service_url = excluded.service_url, last_seen_at = excluded.last_seen_at
                """;
            cmd.Parameters.AddWithValue("$origin", origin);
            cmd.Parameters.AddWithValue("$url", serviceUrl);
            cmd.Parameters.AddWithValue("$channel", channel);
            cmd.Parameters.AddWithValue("$at", now.ToString("O"));
            cmd.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        _known[origin] = now;
    }

    public Task<bool> IsTrustedAsync(string? serviceUrl, CancellationToken cancellationToken)
    {
        var origin = Origin(serviceUrl);
        if (origin is null)
        {
            return Task.FromResult(false);
        }

        if (_known.ContainsKey(origin))
        {
            return Task.FromResult(true);
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var conn = database.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT last_seen_at FROM trusted_service_urls WHERE origin = $origin";
        cmd.Parameters.AddWithValue("$origin", origin);
        if (cmd.ExecuteScalar() is string seen)
        {
            _known.TryAdd(origin, DateTimeOffset.Parse(seen, System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(true);
        }

        return Task.FromResult(false);
    }
}
