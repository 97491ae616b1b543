using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Dapper;

namespace CcBot.Core.Channels.Zalo;

/// <summary>The stored token pair (values as stored: protected), its expiry, and the renewal lease.</summary>
public sealed record ZaloTokenRow(string AccessToken, string RefreshToken, long ExpiresAtMs, long UpdatedAtMs, long Generation, string? LeaseOwner, long LeaseUntilMs, string? Failure);

/// <summary>
/// One row (id = 1) holding the OA's token pair, shared by every instance on the database. Renewal is guarded by a row
/// lease: the instance whose conditional UPDATE takes the lease renews; the others read the row. Same SQL on both databases.
/// </summary>
public sealed class ZaloTokenStore(ISqlConnections connections)
{
    public async Task<ZaloTokenRow?> ReadAsync(CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await conn.QuerySingleOrDefaultAsync<ZaloTokenRow>(new CommandDefinition(
            "SELECT access_token AS AccessToken, refresh_token AS RefreshToken, expires_at_ms AS ExpiresAtMs, updated_at_ms AS UpdatedAtMs, generation AS Generation, " +
            "lease_owner AS LeaseOwner, lease_until_ms AS LeaseUntilMs, failure AS Failure FROM zalo_tokens WHERE id = 1",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Stores the first pair (from configuration) unless the database already holds one. True when it was stored.</summary>
    public async Task<bool> SeedAsync(string accessToken, string refreshToken, long expiresAtMs, long nowMs, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO zalo_tokens(id, access_token, refresh_token, expires_at_ms, updated_at_ms, generation, lease_until_ms) " +
            "VALUES (1, @accessToken, @refreshToken, @expiresAtMs, @nowMs, 1, 0) ON CONFLICT (id) DO NOTHING",
            new { accessToken, refreshToken, expiresAtMs, nowMs }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>Takes the renewal lease when it is free or expired. True when this owner holds it.</summary>
    public async Task<bool> TryLeaseAsync(string owner, long nowMs, long untilMs, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE zalo_tokens SET lease_owner = @owner, lease_until_ms = @untilMs WHERE id = 1 AND (lease_until_ms < @nowMs OR lease_owner = @owner)",
            new { owner, nowMs, untilMs }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>Stores a renewed pair and frees the lease, only while <paramref name="owner"/> still holds it.</summary>
    public async Task<bool> SaveRenewedAsync(string owner, string accessToken, string refreshToken, long expiresAtMs, long nowMs, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE zalo_tokens SET access_token = @accessToken, refresh_token = @refreshToken, expires_at_ms = @expiresAtMs, updated_at_ms = @nowMs, " +
            "generation = generation + 1, lease_owner = NULL, lease_until_ms = 0, failure = NULL WHERE id = 1 AND lease_owner = @owner",
            new { owner, accessToken, refreshToken, expiresAtMs, nowMs }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>Records why renewal failed and frees the lease.</summary>
    public async Task MarkFailedAsync(string owner, string failure, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE zalo_tokens SET failure = @failure, lease_owner = NULL, lease_until_ms = 0 WHERE id = 1 AND lease_owner = @owner",
            new { owner, failure }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Frees the lease without changing the pair (a renewal to try again later).</summary>
    public async Task ReleaseAsync(string owner, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE zalo_tokens SET lease_owner = NULL, lease_until_ms = 0 WHERE id = 1 AND lease_owner = @owner",
            new { owner }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Replaces the pair from configuration after an operator supplied a fresh grant (a lost refresh token).</summary>
    public async Task ReplaceAsync(string accessToken, string refreshToken, long expiresAtMs, long nowMs, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE zalo_tokens SET access_token = @accessToken, refresh_token = @refreshToken, expires_at_ms = @expiresAtMs, updated_at_ms = @nowMs, " +
            "generation = generation + 1, failure = NULL WHERE id = 1",
            new { accessToken, refreshToken, expiresAtMs, nowMs }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

/// <summary>The Zalo table on SQLite.</summary>
public sealed class ZaloMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0040_zalo_tokens", """
            CREATE TABLE zalo_tokens(
                id INTEGER PRIMARY KEY CHECK (id = 1),
                access_token TEXT NOT NULL,
                refresh_token TEXT NOT NULL,
                expires_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                generation INTEGER NOT NULL,
                lease_owner TEXT NULL,
                lease_until_ms INTEGER NOT NULL DEFAULT 0,
                failure TEXT NULL);
            """),
    ];
}

/// <summary>The same table on PostgreSQL.</summary>
public sealed class PostgresZaloMigrations : IPostgresMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0040_zalo_tokens", """
            CREATE TABLE zalo_tokens(
                id integer PRIMARY KEY CHECK (id = 1),
                access_token text NOT NULL,
                refresh_token text NOT NULL,
                expires_at_ms bigint NOT NULL,
                updated_at_ms bigint NOT NULL,
                generation bigint NOT NULL,
                lease_owner text NULL,
                lease_until_ms bigint NOT NULL DEFAULT 0,
                failure text NULL);
            """),
    ];
}
