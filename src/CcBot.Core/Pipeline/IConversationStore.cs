using CcBot.Core.Activities;

namespace CcBot.Core.Pipeline;

/// <summary>A row of the transcript: every inbound and outbound message of every conversation.</summary>
public sealed record TranscriptEntry(
    long Seq,
    string ConversationKey,
    bool Inbound,
    string ActivityId,
    string Channel,
    string? UserId,
    string Kind,
    string? Text,
    string? Value,
    string? Payload,
    DateTimeOffset CreatedAt,
    string Status,
    long? ReplyToSeq = null);

/// <summary>The transcript row of an accepted inbound activity; for a duplicate, the row of the first delivery.</summary>
public sealed record InboundAcceptance(long Seq, bool Duplicate);

/// <summary>An inbound activity stored but not yet handled (found again after a crash).</summary>
public sealed record PendingInbound(long Seq, InboundActivity Activity);

/// <summary>An outbound message stored but not confirmed sent.</summary>
public sealed record PendingOutbound(ConversationReference To, StoredOutbound Message);

/// <summary>Storage of the conversation pipeline: inbox, state, references, transcript and outbox of replies.</summary>
public interface IConversationStore
{
    /// <summary>De-duplicates by (conversation, id), stores the inbound activity and refreshes the conversation reference.</summary>
    Task<InboundAcceptance> AcceptInboundAsync(InboundActivity activity, CancellationToken cancellationToken);

    Task<TurnSnapshot> LoadAsync(InboundActivity activity, CancellationToken cancellationToken);

    /// <summary>Marks the inbound handled, saves state and user, stores replies and escalations: one transaction.</summary>
    Task<IReadOnlyList<StoredOutbound>> CommitTurnAsync(TurnCommit commit, CancellationToken cancellationToken);

    /// <summary>Stores a proactive message for a conversation before it is sent.</summary>
    /// <param name="delivered">True on channels whose clients read the transcript (Direct Line): storing is the delivery.</param>
    Task<StoredOutbound> AppendOutboundAsync(ConversationReference to, OutboundMessage message, DateTimeOffset at, CancellationToken cancellationToken, bool delivered = false);

    Task MarkOutboundAsync(long seq, SendOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlyList<PendingInbound>> GetUnhandledInboundAsync(int max, CancellationToken cancellationToken);

    /// <param name="includePending">True only at start-up, when no send can be in flight; later only rows a sender gave up on for now ("retry").</param>
    Task<IReadOnlyList<PendingOutbound>> GetUnsentOutboundAsync(int max, CancellationToken cancellationToken, bool includePending = true);

    Task<ConversationReference?> GetReferenceAsync(string conversationKey, CancellationToken cancellationToken);

    /// <summary>The transcript of one conversation after <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<TranscriptEntry>> ReadTranscriptAsync(string conversationKey, long afterSeq, int max, CancellationToken cancellationToken);

    Task<bool> PingAsync(CancellationToken cancellationToken);
}
