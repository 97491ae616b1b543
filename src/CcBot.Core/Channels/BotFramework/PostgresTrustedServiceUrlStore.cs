using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>PostgreSQL twin of <see cref="BotFrameworkMigrations"/>.</summary>
public sealed class PostgresBotFrameworkMigrations : IPostgresMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0030_botframework", """
            CREATE TABLE trusted_service_urls(
                origin text PRIMARY KEY,
                service_url text NOT NULL,
                channel text NOT NULL,
                first_seen_at timestamptz NOT NULL,
                last_seen_at timestamptz NOT NULL);
            """),
    ];
}

/// <summary>Trusted service URL origins in the shared database: an activity authenticated on one instance lets every instance send there.</summary>
public sealed class PostgresTrustedServiceUrlStore(PostgresDatabase db) : ITrustedServiceUrlStore
{
    public async Task RecordAsync(string origin, string serviceUrl, string channel, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO trusted_service_urls(origin, service_url, channel, first_seen_at, last_seen_at)
            VALUES (@origin, @url, @channel, @at, @at)
            ON CONFLICT (origin) DO UPDATE SET service_url = excluded.service_url,
                last_seen_at = GREATEST(trusted_service_urls.last_seen_at, excluded.last_seen_at)
            """, conn);
        cmd.Parameters.AddWithValue("origin", origin);
        cmd.Parameters.AddWithValue("url", serviceUrl);
        cmd.Parameters.AddWithValue("channel", channel);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> LastSeenAsync(string origin, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT last_seen_at FROM trusted_service_urls WHERE origin = @origin", conn);
        cmd.Parameters.AddWithValue("origin", origin);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? r.GetFieldValue<DateTimeOffset>(0) : null;
    }
}
