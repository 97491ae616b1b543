namespace CcBot.Core.Entries;

/// <summary>Storage of entries, similarity flags and per-unit reopenings (<see cref="SqliteEntryStore"/> or <see cref="PostgresEntryStore"/>).</summary>
public interface IEntryStore
{
    /// <summary>Inserts the entry with the next receipt number of the contest; null when a per-person or per-unit limit would be exceeded.</summary>
    Task<(Entry? Entry, SubmitStatus Status)> InsertAsync(NewEntry entry, string receiptPrefix, int perPerson, int perUnit, CancellationToken cancellationToken);

    Task<IReadOnlyList<Entry>> ListAsync(string contestId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Entry>> ListByUserAsync(long userId, CancellationToken cancellationToken);

    Task<Entry?> FindAsync(string contestId, string receipt, CancellationToken cancellationToken);

    Task<int> ApproveAsync(string contestId, IReadOnlyCollection<string> receipts, CancellationToken cancellationToken);

    Task AddFlagsAsync(IReadOnlyList<SimilarityFlag> flags, CancellationToken cancellationToken);

    Task<IReadOnlyList<SimilarityFlag>> ListFlagsAsync(string contestId, CancellationToken cancellationToken);

    Task ReopenAsync(string contestId, string unit, DateTimeOffset until, CancellationToken cancellationToken);

    Task<DateTimeOffset?> ReopenedUntilAsync(string contestId, string unit, CancellationToken cancellationToken);
}
