using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.Zalo;

/// <summary>
/// The OA access token: read from the database (protected with the host's data-protection keys), renewed ahead of
/// expiry with the single-use refresh token under a row lease so that exactly one instance renews, the new pair stored
/// before it is used. A refused refresh stops the channel with a message naming what to do.
/// </summary>
public sealed class ZaloTokens(
    ZaloTokenStore store,
    IServiceProvider services,
    IDataProtectionProvider protection,
    IOptions<ZaloOptions> options,
    TimeProvider clock,
    ILogger<ZaloTokens> logger)
{
    private const string Purpose = "CcBot.Zalo.Tokens";
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Cached? _cached;

    private sealed record Cached(string AccessToken, DateTimeOffset ExpiresAt, long Generation);

    /// <summary>Why the channel is stopped (a refused refresh token, no tokens at all), or null while it works.</summary>
    public string? StoppedReason { get; private set; }

    /// <summary>Renewals this instance performed (for tests and logs).</summary>
    public int RenewalsByThisInstance { get; private set; }

    private IDataProtector Protector => protection.CreateProtector(Purpose);

    /// <summary>
    /// At start: stores the configured pair on first run; a configured pair different from a stored one that failed
    /// replaces it (the operator's fix for a lost refresh token).
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var row = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(o.AccessToken) && !string.IsNullOrEmpty(o.RefreshToken))
        {
            // A configured access token is taken as fresh but renewed at the first check (its real age is unknown).
            var expires = now + o.RenewBefore + TimeSpan.FromMinutes(5);
            if (row is null)
            {
                await store.SeedAsync(Protector.Protect(o.AccessToken), Protector.Protect(o.RefreshToken), expires.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            }
            else if (row.Failure is not null && Unprotect(row.RefreshToken) != o.RefreshToken)
            {
                await store.ReplaceAsync(Protector.Protect(o.AccessToken), Protector.Protect(o.RefreshToken), expires.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Zalo: the stored token pair had failed; replaced with Zalo:AccessToken and Zalo:RefreshToken from configuration.");
            }

            row = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (row is null)
        {
            Stop("no OA token is stored and Zalo:AccessToken / Zalo:RefreshToken are not configured. Grant the app access to the OA " +
                 "(developers.zalo.me → the app → Official Account → access token), put both tokens in Zalo:AccessToken and Zalo:RefreshToken, and restart.");
            return;
        }

        Load(row);
    }

    /// <summary>A valid access token, renewing first when it is close to expiry; null while the channel is stopped.</summary>
    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        if (cached is not null && clock.GetUtcNow() < cached.ExpiresAt - options.Value.RenewBefore)
        {
            return cached.AccessToken;
        }

        await EnsureFreshAsync(force: false, cancellationToken).ConfigureAwait(false);
        return _cached?.AccessToken;
    }

    /// <summary>Zalo refused <paramref name="token"/> (-216/-220): renew now unless another caller already did.</summary>
    public async Task InvalidateAsync(string token, CancellationToken cancellationToken)
    {
        // The generation the refused token belongs to: a renewal by a concurrent send (or another instance) since then
        // is enough, and the single-use refresh token must not be spent twice for one expiry.
        var cached = _cached;
        if (cached?.AccessToken == token)
        {
            await EnsureFreshAsync(force: true, cancellationToken, cached.Generation).ConfigureAwait(false);
        }
    }

    /// <summary>Renews when the token is within <see cref="ZaloOptions.RenewBefore"/> of expiry (or <paramref name="force"/>); one instance renews, others read.</summary>
    public async Task EnsureFreshAsync(bool force, CancellationToken cancellationToken, long? refusedGeneration = null)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var o = options.Value;
            if (refusedGeneration is not null && _cached is { } current && current.Generation > refusedGeneration)
            {
                return; // renewed while this caller waited
            }

            var seenGeneration = refusedGeneration ?? _cached?.Generation ?? 0;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var row = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (row is null)
                {
                    return;
                }

                var now = clock.GetUtcNow();
                var expires = DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAtMs);
                var renewedElsewhere = row.Generation > seenGeneration && force;
                if ((!force && now < expires - o.RenewBefore) || renewedElsewhere)
                {
                    Load(row);
                    return;
                }

                if (row.Failure is not null && StoppedReason is not null)
                {
                    return;
                }

                if (await store.TryLeaseAsync(_owner, now.ToUnixTimeMilliseconds(), (now + o.RenewLease).ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false))
                {
                    await RenewHoldingLeaseAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }

                // Another instance renews: wait for its new pair (or for its lease to lapse), then look again.
                var deadline = DateTimeOffset.FromUnixTimeMilliseconds(row.LeaseUntilMs);
                while (clock.GetUtcNow() < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellationToken).ConfigureAwait(false);
                    var again = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
                    if (again is not null && again.Generation != row.Generation)
                    {
                        Load(again);
                        return;
                    }

                    if (again?.LeaseOwner is null)
                    {
                        break;
                    }
                }

                force = force && !renewedElsewhere;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RenewHoldingLeaseAsync(CancellationToken cancellationToken)
    {
        // Read again under the lease: another instance may have renewed between our read and our lease.
        var row = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return;
        }

        if (row.Generation > (_cached?.Generation ?? 0) && clock.GetUtcNow() < DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAtMs) - options.Value.RenewBefore)
        {
            await store.ReleaseAsync(_owner, cancellationToken).ConfigureAwait(false);
            Load(await store.ReadAsync(cancellationToken).ConfigureAwait(false) ?? row);
            return;
        }

        var refresh = Unprotect(row.RefreshToken);
        var api = services.GetRequiredService<ZaloApiClient>();
        ZaloTokenGrant? grant;
        string? error;
        try
        {
            (grant, error) = await api.RefreshAsync(refresh ?? "", cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // Network trouble: the refresh token was not used; free the lease and try again at the next check.
            await store.ReleaseAsync(_owner, CancellationToken.None).ConfigureAwait(false);
            logger.LogWarning(e, "Zalo: renewing the access token failed (network); trying again at the next check.");
            return;
        }

        var now = clock.GetUtcNow();
        if (grant is null)
        {
            var transient = error is not null && error.Contains("(HTTP 5", StringComparison.Ordinal);
            if (transient)
            {
                await store.ReleaseAsync(_owner, cancellationToken).ConfigureAwait(false);
                logger.LogWarning("Zalo: the OAuth server answered {Error} when renewing; trying again at the next check.", error);
                return;
            }

            var reason = $"Zalo refused the stored refresh token ({error}). The Zalo channel is stopped. In developers.zalo.me → the app → " +
                         "Official Account, grant access again, put the new tokens in Zalo:AccessToken and Zalo:RefreshToken, and restart.";
            await store.MarkFailedAsync(_owner, reason, cancellationToken).ConfigureAwait(false);
            Stop(reason);
            return;
        }

        var expiresAt = now + grant.ExpiresIn;
        if (!await store.SaveRenewedAsync(_owner, Protector.Protect(grant.AccessToken), Protector.Protect(grant.RefreshToken),
                expiresAt.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), CancellationToken.None).ConfigureAwait(false))
        {
            logger.LogError("Zalo: the renewal lease lapsed before the new tokens were stored; the new pair is used by this instance only until the next renewal.");
            _cached = new Cached(grant.AccessToken, expiresAt, (_cached?.Generation ?? 0) + 1);
            return;
        }

        RenewalsByThisInstance++;
        logger.LogInformation("Zalo: access token renewed, valid until {Expires:u}.", expiresAt);
        Load(await store.ReadAsync(cancellationToken).ConfigureAwait(false) ?? row);
    }

    private void Load(ZaloTokenRow row)
    {
        if (row.Failure is { Length: > 0 } failure)
        {
            Stop(failure);
            return;
        }

        var access = Unprotect(row.AccessToken);
        if (access is null)
        {
            Stop("the stored Zalo tokens cannot be read with this host's data-protection keys. Put a fresh pair in Zalo:AccessToken and Zalo:RefreshToken and restart.");
            return;
        }

        StoppedReason = null;
        _cached = new Cached(access, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAtMs), row.Generation);
    }

    private void Stop(string reason)
    {
        if (StoppedReason != reason)
        {
            logger.LogError("Zalo channel stopped: {Reason}", reason);
        }

        StoppedReason = reason;
        _cached = null;
    }

    private string? Unprotect(string value)
    {
        try
        {
            return Protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
