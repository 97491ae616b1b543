using CcBot.Core.Activities;

namespace CcBot.Core.Pipeline;

/// <summary>The entry point for every channel adapter: dedupe, persist, then handle in conversation order.</summary>
public interface IInbox
{
    /// <summary>
    /// Stores the activity (unless its id was seen before in the same conversation) and schedules its turn.
    /// Returns once the activity is durably stored; <see cref="InboxReceipt.Handled"/> completes when its turn has run.
    /// </summary>
    Task<InboxReceipt> SubmitAsync(InboundActivity activity, CancellationToken cancellationToken);
}

/// <summary>Result of <see cref="IInbox.SubmitAsync"/>.</summary>
public sealed record InboxReceipt(bool Duplicate, long Seq, Task Handled);

/// <summary>Delivers persisted replies on one channel. One implementation per channel, selected by <see cref="Channel"/>.</summary>
public interface IChannelSender
{
    string Channel { get; }

    /// <summary>Sends one stored reply. Implementations handle rate limits and retries; they report the outcome, they do not throw for channel errors.</summary>
    Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken);
}

public enum SendStatus
{
    Sent,
    /// <summary>Transient failure: try again later.</summary>
    Retry,
    /// <summary>The user blocked the bot or left: stop proactive sends.</summary>
    Unreachable,
    /// <summary>Permanent failure for this message (bad request).</summary>
    Failed,
}

public sealed record SendOutcome(SendStatus Status, string? ChannelMessageId = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static SendOutcome Ok(string? channelMessageId = null) => new(SendStatus.Sent, channelMessageId);
}

/// <summary>Sends a message the user did not ask for (reminder, broadcast, help-desk reply): persisted first, then delivered.</summary>
public interface IProactiveMessenger
{
    Task<SendOutcome> SendAsync(ConversationReference to, OutboundMessage message, CancellationToken cancellationToken);
}
