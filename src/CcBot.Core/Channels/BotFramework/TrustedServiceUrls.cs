using System.Collections.Concurrent;
using System.Globalization;
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

/// <summary>The durable record of trusted service URL origins, shared by every instance on the database.</summary>
public interface ITrustedServiceUrlStore
{
    /// <summary>Inserts the origin or refreshes its URL and last-seen time.</summary>
    Task RecordAsync(string origin, string serviceUrl, string channel, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>When the origin was last seen; null when it was never trusted.</summary>
    Task<DateTimeOffset?> LastSeenAsync(string origin, CancellationToken cancellationToken);
}

/// <summary>
/// Service URLs seen in authenticated activities. The bot sends its app token only to these hosts
/// (protocols.md B3.3), so a forged conversation reference cannot make it leak the token elsewhere.
/// Trust is per origin (scheme, host, port): Teams uses several paths on one host. Trust is never withdrawn, so the
/// in-process cache only holds origins known to be trusted; an origin another instance recorded is found in the store.
/// </summary>
public sealed class TrustedServiceUrls(ITrustedServiceUrlStore store, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _known = new(StringComparer.Ordinal);

    /// <summary>The origin a service URL is trusted by: lower-case <c>scheme://host:port</c>; null when not an absolute http(s) URL.</summary>
    public static string? Origin(string? serviceUrl)
    {
        if (string.IsNullOrWhiteSpace(serviceUrl) || !Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        return (uri.Scheme + "://" + uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture)).ToLowerInvariant();
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

        await store.RecordAsync(origin, serviceUrl, channel, now, cancellationToken).ConfigureAwait(false);
        _known[origin] = now;
    }

    public async Task<bool> IsTrustedAsync(string? serviceUrl, CancellationToken cancellationToken)
    {
        var origin = Origin(serviceUrl);
        if (origin is null)
        {
            return false;
        }

        if (_known.ContainsKey(origin))
        {
            return true;
        }

        if (await store.LastSeenAsync(origin, cancellationToken).ConfigureAwait(false) is { } seen)
        {
            _known.TryAdd(origin, seen);
            return true;
        }

        return false;
    }
}

public sealed class SqliteTrustedServiceUrlStore(SqliteDatabase database) : ITrustedServiceUrlStore
{
    public Task RecordAsync(string origin, string serviceUrl, string channel, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((conn, tx) =>
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
            cmd.Parameters.AddWithValue("$at", at.ToString("O", CultureInfo.InvariantCulture));
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<DateTimeOffset?> LastSeenAsync(string origin, CancellationToken cancellationToken)
    {
        await using var conn = database.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT last_seen_at FROM trusted_service_urls WHERE origin = $origin";
        cmd.Parameters.AddWithValue("$origin", origin);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string seen
            ? DateTimeOffset.Parse(seen, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;
    }
}
