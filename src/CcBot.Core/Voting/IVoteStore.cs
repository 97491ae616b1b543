namespace CcBot.Core.Voting;

/// <summary>Storage of vote windows and votes (<see cref="SqliteVoteStore"/> or <see cref="PostgresVoteStore"/>).</summary>
public interface IVoteStore
{
    Task SetWindowAsync(VoteWindow window, CancellationToken cancellationToken);

    Task<VoteWindow?> FindWindowAsync(string contestId, CancellationToken cancellationToken);

    /// <summary>Records the vote unless the person already voted for the entry or has used <paramref name="limit"/> votes.</summary>
    Task<(VoteStatus Status, int Used)> AddAsync(Vote vote, int limit, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string contestId, long entryId, long userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Vote>> ListAsync(string contestId, CancellationToken cancellationToken);
}
