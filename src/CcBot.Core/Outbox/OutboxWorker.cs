using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Outbox;

/// <summary>Bound from <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Sends in flight at once (each waits for its channel's pacing first).</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>Rows claimed per database round trip.</summary>
    public int ClaimBatch { get; set; } = 128;

    /// <summary>How long a claim holds; a row whose lease ran out is claimable again (a crashed worker's rows).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often to look for due rows when nobody signals new ones.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Transient failures tried this many times in all before the row is failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxBackoff"/> (a channel's Retry-After wins when longer).</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// One instance owns the outbox (SQLite): at start, rows a killed process left claimed are released at once instead of
    /// waiting for their lease. Set false when several instances share a PostgreSQL outbox.
    /// </summary>
    public bool SingleInstance { get; set; } = true;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Concurrency is < 1 or > 1024)
        {
            errors.Add("Outbox:Concurrency must be between 1 and 1024.");
        }

        if (ClaimBatch is < 1 or > 10_000)
        {
            errors.Add("Outbox:ClaimBatch must be between 1 and 10000.");
        }

        if (Lease < TimeSpan.FromSeconds(5))
        {
            errors.Add("Outbox:Lease must be at least 5 seconds.");
        }

        if (PollInterval <= TimeSpan.Zero || MaxAttempts < 1 || BaseBackoff <= TimeSpan.Zero || MaxBackoff < BaseBackoff)
        {
            errors.Add("Outbox:PollInterval, MaxAttempts, BaseBackoff must be positive and MaxBackoff at least BaseBackoff.");
        }

        return errors;
    }
}

/// <summary>Wakes the outbox worker when rows were added (it also polls).</summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();

    public void Notify()
    {
        lock (_lock)
        {
            _signal.TrySetResult();
        }
    }

    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return;
            }

            wait = _signal.Task;
        }

        try
        {
            await wait.WaitAsync(timeout, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        lock (_lock)
        {
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }
}

/// <summary>
/// Delivers the outbox: claims due rows with a lease, paces each channel (<see cref="IOutboxPacing"/>), sends through the
/// channel's sender, and records the outcome: sent, retry with backoff (never sooner than Retry-After), blocked (the
/// conversation is marked unreachable), failed with the reason, expired, cancelled. A row is marked sent right after the
/// channel accepted it, so a restart resends only rows whose send had not completed.
/// </summary>
public sealed class OutboxWorker(
    IOutboxStore store,
    ChannelSenders senders,
    IConversationStore conversations,
    IEnumerable<IOutboxPacing> pacings,
    OutboundNotifier notifier,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    public const string BroadcastSource = "broadcast";

    private readonly Dictionary<string, IOutboxPacing> _pacing = pacings.SelectMany(p => p.Channels.Select(c => (c, p))).ToDictionary(x => x.c, x => x.p, StringComparer.Ordinal);
    private readonly string _worker = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];
    private IReadOnlySet<string> _cancelled = new HashSet<string>();
    private DateTimeOffset _cancelledReadAt = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.SingleInstance)
        {
            var released = await store.ReleaseAllClaimsAsync(stoppingToken).ConfigureAwait(false);
            if (released > 0)
            {
                logger.LogWarning("Outbox: {Count} rows left claimed by a previous run are pending again", released);
            }
        }

        using var slots = new SemaphoreSlim(o.Concurrency * 2);
        using var workers = new SemaphoreSlim(o.Concurrency);
        var running = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var taken = 1;
                while (taken < o.ClaimBatch && slots.Wait(0))
                {
                    taken++;
                }

                IReadOnlyList<OutboxItem> items;
                try
                {
                    await RefreshCancelledAsync(stoppingToken).ConfigureAwait(false);
                    items = await store.ClaimAsync(_worker, taken, clock.GetUtcNow(), o.Lease, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Outbox claim failed");
                    items = [];
                }

                if (taken > items.Count)
                {
                    slots.Release(taken - items.Count);
                }

                foreach (var item in items)
                {
                    await workers.WaitAsync(stoppingToken).ConfigureAwait(false);
                    var task = Task.Run(async () =>
                    {
                        try
                        {
                            await ProcessAsync(item, stoppingToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            workers.Release();
                            slots.Release();
                        }
                    }, CancellationToken.None);
                    lock (running)
                    {
                        running.Add(task);
                    }

                    _ = task.ContinueWith(t =>
                    {
                        lock (running)
                        {
                            running.Remove(t);
                        }
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                if (items.Count == 0)
                {
                    await signal.WaitAsync(o.PollInterval, clock, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Task[] left;
        lock (running)
        {
            left = [.. running];
        }

        await Task.WhenAll(left.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
    }

    /// <summary>Claims one batch of due rows and processes it (tests drive the outbox with a moved clock this way). Returns how many rows were processed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        _cancelledReadAt = DateTimeOffset.MinValue;
        await RefreshCancelledAsync(cancellationToken).ConfigureAwait(false);
        var items = await store.ClaimAsync(_worker, options.Value.ClaimBatch, clock.GetUtcNow(), options.Value.Lease, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(items.Select(i => ProcessAsync(i, cancellationToken))).ConfigureAwait(false);
        return items.Count;
    }

    private async Task RefreshCancelledAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now - _cancelledReadAt < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _cancelled = await store.CancelledSourcesAsync(BroadcastSource, ct).ConfigureAwait(false);
        _cancelledReadAt = now;
    }

    internal async Task ProcessAsync(OutboxItem item, CancellationToken ct)
    {
        var o = options.Value;
        try
        {
            var now = clock.GetUtcNow();
            if (item.Source == BroadcastSource && _cancelled.Contains(item.SourceId))
            {
                await store.MarkFinalAsync(item.Id, OutboxStatus.Cancelled, null, now, ct).ConfigureAwait(false);
                return;
            }

            if (item.ExpiresAt is { } expires && expires <= now)
            {
                await store.MarkFinalAsync(item.Id, OutboxStatus.Expired, "expired before it could be sent", now, ct).ConfigureAwait(false);
                return;
            }

            if (_pacing.TryGetValue(item.Channel, out var pacing))
            {
                await pacing.WaitAsync(item.ConversationKey, ct).ConfigureAwait(false);
            }

            if (senders.IsOff(item.Channel))
            {
                await store.MarkFinalAsync(item.Id, OutboxStatus.ChannelOff, $"channel off: {item.Channel} is not configured", now, ct).ConfigureAwait(false);
                return;
            }

            SendOutcome outcome;
            if (senders.DeliversByStoring(item.Channel))
            {
                // Direct Line and other pull channels: storing the message in the transcript is the delivery.
                var stored = await conversations.AppendOutboundAsync(item.Reference, item.Message, clock.GetUtcNow(), ct, delivered: true).ConfigureAwait(false);
                notifier.Notify(item.ConversationKey);
                outcome = SendOutcome.Ok(stored.ActivityId);
            }
            else
            {
                var message = new StoredOutbound(-item.Id, "outbox-" + item.Id, item.Message, now);
                outcome = await senders.SendAsync(item.Reference, message, ct).ConfigureAwait(false);
            }

            var at = clock.GetUtcNow();
            switch (outcome.Status)
            {
                case SendStatus.Sent:
                    await store.MarkSentAsync(item.Id, outcome.ChannelMessageId, at, CancellationToken.None).ConfigureAwait(false);
                    break;
                case SendStatus.Unreachable:
                    await store.MarkFinalAsync(item.Id, OutboxStatus.Blocked, outcome.Error ?? "unreachable", at, CancellationToken.None).ConfigureAwait(false);
                    break;
                case SendStatus.Failed:
                    await store.MarkFinalAsync(item.Id, OutboxStatus.Failed, outcome.Error ?? "failed", at, CancellationToken.None).ConfigureAwait(false);
                    break;
                default:
                    await RetryAsync(item, outcome.Error, outcome.RetryAfter, at, o).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Left claimed: released at the next start (single instance) or when its lease runs out.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Outbox row {Id} failed", item.Id);
            await RetryAsync(item, ex.Message, null, clock.GetUtcNow(), o).ConfigureAwait(false);
        }
    }

    private async Task RetryAsync(OutboxItem item, string? error, TimeSpan? retryAfter, DateTimeOffset now, OutboxOptions o)
    {
        if (item.Attempts >= o.MaxAttempts)
        {
            await store.MarkFinalAsync(item.Id, OutboxStatus.Failed, $"gave up after {item.Attempts} attempts: {error}", now, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var backoff = TimeSpan.FromTicks(Math.Min(o.MaxBackoff.Ticks, o.BaseBackoff.Ticks * (1L << Math.Min(20, item.Attempts - 1))));
        if (retryAfter is { } after && after > backoff)
        {
            backoff = after;
        }

        await store.MarkRetryAsync(item.Id, error, now + backoff, CancellationToken.None).ConfigureAwait(false);
    }
}
