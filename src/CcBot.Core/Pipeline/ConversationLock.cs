using CcBot.Core.Activities;

namespace CcBot.Core.Pipeline;

/// <summary>
/// Serializes the turns of one conversation across processes. Inside one process the conversation lanes already
/// keep turns in order; with several instances on one database a turn also runs in a session holding this lock,
/// so consecutive messages that reached different instances run one after the other, each seeing the state the
/// previous one saved.
/// </summary>
public interface IConversationLock
{
    /// <summary>True when other processes share the database (turns stored by a stopped instance are taken over).</summary>
    bool AcrossInstances { get; }

    /// <summary>Waits for the conversation and opens the session the turn of <paramref name="activity"/> runs in.</summary>
    Task<ITurnSession> BeginAsync(InboundActivity activity, long seq, CancellationToken cancellationToken);
}

/// <summary>
/// A turn's hold on its conversation: which earlier stored activities to run first, then load and commit for each.
/// Disposing releases the conversation.
/// </summary>
public interface ITurnSession : IAsyncDisposable
{
    /// <summary>
    /// Activities of the same conversation stored before this one (possibly by another instance) and not handled yet,
    /// oldest first, followed by this one; empty when another instance already handled this one.
    /// </summary>
    IReadOnlyList<PendingInbound> Turns { get; }

    /// <summary>The stored state for a turn; null when another instance handled that activity meanwhile.</summary>
    Task<TurnSnapshot?> LoadAsync(PendingInbound turn, CancellationToken cancellationToken);

    /// <summary>Stores what a turn changed (see <see cref="IConversationStore.CommitTurnAsync"/>).</summary>
    Task<IReadOnlyList<StoredOutbound>> CommitAsync(TurnCommit commit, CancellationToken cancellationToken);
}

/// <summary>One process on the database (SQLite): the conversation lanes are the lock; sessions go straight to the store.</summary>
public sealed class InProcessConversationLock(IConversationStore store) : IConversationLock
{
    public bool AcrossInstances => false;

    public Task<ITurnSession> BeginAsync(InboundActivity activity, long seq, CancellationToken cancellationToken) =>
        Task.FromResult<ITurnSession>(new Session(store, [new PendingInbound(seq, activity)]));

    private sealed class Session(IConversationStore store, IReadOnlyList<PendingInbound> turns) : ITurnSession
    {
        public IReadOnlyList<PendingInbound> Turns => turns;

        public async Task<TurnSnapshot?> LoadAsync(PendingInbound turn, CancellationToken cancellationToken) =>
            await store.LoadAsync(turn.Activity, cancellationToken).ConfigureAwait(false);

        public Task<IReadOnlyList<StoredOutbound>> CommitAsync(TurnCommit commit, CancellationToken cancellationToken) =>
            store.CommitTurnAsync(commit, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
