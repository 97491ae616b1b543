using CcBot.Core.Activities;

namespace CcBot.Core.Pipeline;

/// <summary>Everything a turn reads and changes. Replies are collected here and persisted when the turn commits.</summary>
public sealed class TurnContext(InboundActivity activity, ConversationState state, UserProfile user, DateTimeOffset now)
{
    private readonly List<OutboundMessage> _replies = [];
    private readonly List<EscalationRequest> _escalations = [];
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];

    public InboundActivity Activity { get; } = activity;

    public ConversationState State { get; } = state;

    public UserProfile User { get; } = user;

    /// <summary>The time the turn started (from the injected <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset Now { get; } = now;

    public IReadOnlyList<OutboundMessage> Replies => _replies;

    public IReadOnlyList<EscalationRequest> Escalations => _escalations;

    /// <summary>Free-form notes the router leaves for logging and tests (e.g. the NLU decision).</summary>
    public Dictionary<string, string> Trace { get; } = new(StringComparer.Ordinal);

    public void Reply(OutboundMessage message) => _replies.Add(message);

    public void Reply(string text, IReadOnlyList<ReplyButton>? buttons = null) =>
        _replies.Add(new OutboundMessage { Text = text, Buttons = buttons ?? [] });

    public void Escalate(EscalationRequest request) => _escalations.Add(request);

    public void ClearReplies() => _replies.Clear();

    /// <summary>
    /// Work to run once the turn's writes are committed (e.g. telling the console a new escalation is in the queue, so a
    /// page that reloads the queue finds it). Not run when the commit fails.
    /// </summary>
    public void AfterCommit(Func<CancellationToken, Task> work) => _afterCommit.Add(work);

    internal IReadOnlyList<Func<CancellationToken, Task>> AfterCommitWork => _afterCommit;
}

/// <summary>Handles one turn; the router is the production implementation.</summary>
public interface ITurnHandler
{
    Task HandleAsync(TurnContext turn, CancellationToken cancellationToken);
}
