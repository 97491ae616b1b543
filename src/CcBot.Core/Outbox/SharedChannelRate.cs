using CcBot.Core.Storage.Postgres;

namespace CcBot.Core.Outbox;

/// <summary>
/// A channel's global send rate held by all instances together: on PostgreSQL every send first reserves a slot through
/// <see cref="PostgresRateLimiter"/>; on SQLite (one instance) it waits for nothing and the channel's own in-process
/// limiter is the only one. The channel's sender calls it for every message, replies and outbox alike.
/// </summary>
public sealed class SharedChannelRate(string channel, double perSecond, PostgresRateLimiter? limiter, TimeProvider clock)
{
    /// <summary>True when the rate is shared through the database.</summary>
    public bool Shared => limiter is not null;

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (limiter is null)
        {
            return;
        }

        var slot = await limiter.ReserveAsync(channel, perSecond, cancellationToken).ConfigureAwait(false);
        if (slot.Delay > TimeSpan.Zero)
        {
            await Task.Delay(slot.Delay, clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
