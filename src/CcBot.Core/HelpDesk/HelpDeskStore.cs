using System.Globalization;

namespace CcBot.Core.HelpDesk;

/// <summary>An escalation as the help desk sees it.</summary>
public sealed record Ticket(
    long Id,
    string ConversationKey,
    string Channel,
    string UserId,
    long? InboundSeq,
    string Reason,
    string Text,
    string? Intent,
    double? Confidence,
    string? ContestId,
    string Status,
    DateTimeOffset CreatedAt,
    string? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt);

/// <summary>An FAQ entry added by staff (kept in the database, loaded into the NLU engine at start).</summary>
public sealed record StaffFaqEntry(long Id, string Question, string Answer, string? Intent, string? ContestId, string CreatedBy, DateTimeOffset CreatedAt)
{
    public string FaqId => "staff-" + Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A message staff labelled with an intent from the misunderstood inbox (a training example).</summary>
public sealed record StaffExample(long Id, string Text, string Intent);

/// <summary>One line of the staff audit log.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Staff, string Action, string? Target, string? Detail);

/// <summary>Tickets (escalations), the audit log, staff FAQ entries and labelled examples.</summary>
public interface IHelpDeskStore
{
    /// <summary>True when the conversation has an open ticket a staff member claimed: the bot keeps quiet.</summary>
    ValueTask<bool> IsClaimedAsync(string conversationKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<Ticket>> ListAsync(bool open, int max, CancellationToken cancellationToken);

    Task<Ticket?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Claims an open ticket; false when it is not open or another staff member holds it.</summary>
    Task<bool> ClaimAsync(long id, string staff, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Resolves a ticket; the conversation goes back to the bot unless another claimed ticket is open in it.</summary>
    Task<bool> ResolveAsync(long id, string staff, DateTimeOffset at, CancellationToken cancellationToken);

    Task AuditAsync(string staff, string action, string? target, string? detail, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The newest audit lines first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(int max, CancellationToken cancellationToken);

    Task<StaffFaqEntry> AddFaqAsync(string question, string answer, string? intent, string? contestId, long? escalationId, string staff, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>All staff FAQ entries (synchronous: used while the NLU engine loads).</summary>
    IReadOnlyList<StaffFaqEntry> ReadFaq();

    Task<IReadOnlyList<StaffExample>> AddExamplesAsync(IReadOnlyList<string> texts, string intent, string staff, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Labelled examples staff assigned from the misunderstood inbox (synchronous: used while the NLU engine loads).</summary>
    IReadOnlyList<StaffExample> ReadExamples();

    /// <summary>How many staff FAQ entries and labelled examples are stored (rows are never deleted, so a change means new rows).</summary>
    Task<(long Faq, long Examples)> CountKnowledgeAsync(CancellationToken cancellationToken);

    /// <summary>Open low-confidence and "not helpful" escalations nobody claimed: the "misunderstood" inbox.</summary>
    Task<IReadOnlyList<Ticket>> ListMisunderstoodAsync(int max, CancellationToken cancellationToken);
}
