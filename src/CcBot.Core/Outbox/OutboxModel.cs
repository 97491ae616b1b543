using CcBot.Core.Activities;

namespace CcBot.Core.Outbox;

/// <summary>Row states of the outbox.</summary>
public static class OutboxStatus
{
    /// <summary>Waiting for its time (<c>not_before</c>) and a worker.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a worker until <c>claimed_until</c> (a lease; an expired lease makes the row claimable again).</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";

    /// <summary>Permanent failure, or transient failures beyond the attempt limit; <c>error</c> holds the reason.</summary>
    public const string Failed = "failed";

    /// <summary>The user blocked the bot (or the conversation is gone): skipped, and the conversation is marked unreachable.</summary>
    public const string Blocked = "blocked";

    public const string Cancelled = "cancelled";

    /// <summary>Its channel has no sender here (e.g. Telegram without a token): not sent, reported as "channel off".</summary>
    public const string ChannelOff = "channel_off";

    /// <summary>Its moment passed before it could be sent (a reminder whose deadline is over).</summary>
    public const string Expired = "expired";
}

/// <summary>One proactive message for one conversation, as stored.</summary>
public sealed record OutboxItem(
    long Id,
    string Source,
    string SourceId,
    string Channel,
    string ConversationKey,
    ConversationReference Reference,
    OutboundMessage Message,
    int Attempts,
    DateTimeOffset? ExpiresAt);

/// <summary>A message to put in the outbox for one conversation; <see cref="DedupeKey"/> makes enqueueing idempotent.</summary>
public sealed record OutboxRequest(
    string DedupeKey,
    string Source,
    string SourceId,
    ConversationReference Reference,
    OutboundMessage Message,
    DateTimeOffset NotBefore,
    DateTimeOffset? ExpiresAt = null);

/// <summary>Counts of one source's rows by state, with the failure reasons.</summary>
public sealed record OutboxReport(
    int Total,
    int Pending,
    int Sending,
    int Sent,
    int Failed,
    int Blocked,
    int Cancelled,
    int Expired,
    int ChannelOff,
    IReadOnlyList<(string Reason, int Count)> FailureReasons);

/// <summary>
/// The durable outbox: a proactive message is a row before it is a request. Workers claim due rows with a lease
/// (status, claimed_by, claimed_until), so several instances can share the table (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>).
/// </summary>
public interface IOutboxStore
{
    /// <summary>Adds rows; a row whose dedupe key exists already is skipped. Returns how many were added.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<OutboxRequest> requests, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> due rows (pending and due, or sending with an expired lease) for <paramref name="worker"/>.</summary>
    Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Makes rows left in <c>sending</c> claimable at once (single-instance start-up after a crash).</summary>
    Task<int> ReleaseAllClaimsAsync(CancellationToken cancellationToken);

    Task MarkSentAsync(long id, string? channelMessageId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Back to pending, due at <paramref name="retryAt"/>.</summary>
    Task MarkRetryAsync(long id, string? error, DateTimeOffset retryAt, CancellationToken cancellationToken);

    /// <summary>A final state other than sent (failed, blocked, expired, cancelled), with the reason. Blocked also marks the conversation unreachable.</summary>
    Task MarkFinalAsync(long id, string status, string? error, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Cancels the source's rows still waiting (pending); rows a worker holds are its to finish or cancel. Returns how many.</summary>
    Task<int> CancelAsync(string source, string sourceId, CancellationToken cancellationToken);

    Task<OutboxReport> ReportAsync(string source, string sourceId, CancellationToken cancellationToken);

    /// <summary>Source ids of <paramref name="source"/> cancelled since the worker last looked (workers skip their claimed rows).</summary>
    Task<IReadOnlySet<string>> CancelledSourcesAsync(string source, CancellationToken cancellationToken);
}
