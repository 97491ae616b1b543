namespace CcBot.Core.Pipeline;

/// <summary>
/// Serializes the turns of one conversation across processes. Inside one process the conversation lanes already
/// keep turns in order; with several instances on one database a turn also holds this lock, so consecutive
/// messages that reached different instances run one after the other, each seeing the state the previous one saved.
/// </summary>
public interface IConversationLock
{
    /// <summary>True when other processes share the database (turns stored by a stopped instance are taken over).</summary>
    bool AcrossInstances { get; }

    /// <summary>Waits for the conversation, then says what to run: earlier stored turns first, then this one unless already handled.</summary>
    ValueTask<TurnLease> EnterAsync(string conversationKey, long inboundSeq, CancellationToken cancellationToken);
}

/// <summary>What a turn holding the conversation lock must do, and the release of the lock.</summary>
public sealed class TurnLease(IReadOnlyList<PendingInbound> earlier, bool alreadyHandled, Func<ValueTask>? release = null) : IAsyncDisposable
{
    public static readonly TurnLease Free = new([], false);

    /// <summary>Inbound activities of the same conversation stored before this one (possibly by another instance) and not handled yet.</summary>
    public IReadOnlyList<PendingInbound> Earlier => earlier;

    /// <summary>True when another instance handled this activity already (it ran it as one of its own <see cref="Earlier"/>).</summary>
    public bool AlreadyHandled => alreadyHandled;

    public ValueTask DisposeAsync() => release?.Invoke() ?? ValueTask.CompletedTask;
}

/// <summary>One process on the database (SQLite): the conversation lanes are the lock.</summary>
public sealed class InProcessConversationLock : IConversationLock
{
    public bool AcrossInstances => false;

    public ValueTask<TurnLease> EnterAsync(string conversationKey, long inboundSeq, CancellationToken cancellationToken) => ValueTask.FromResult(TurnLease.Free);
}
