using CcBot.Core.Entries;

namespace CcBot.Core.Voting;

/// <summary>
/// Votes on a contest's approved entries inside the organizer's window: one vote per person per entry, up to the contest's limit;
/// a vote can be withdrawn only when the contest allows changes. The tally counts stored votes and flags bursts from new accounts.
/// </summary>
public sealed class VotingService(EntryService entries, IEntryStore entryStore, IVoteStore store)
{
    public async Task<VoteWindow> OpenAsync(string contestId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (entries.Find(contestId) is null)
        {
            throw new InvalidOperationException($"Contest '{contestId}' takes no entries (no data/entries/{contestId}.entries.yaml or wrong kind).");
        }

        if (to <= from)
        {
            throw new ArgumentException("The vote must close after it opens.", nameof(to));
        }

        var window = new VoteWindow(contestId, from, to);
        await store.SetWindowAsync(window, cancellationToken).ConfigureAwait(false);
        return window;
    }

    public Task<VoteWindow?> WindowAsync(string contestId, CancellationToken cancellationToken) => store.FindWindowAsync(contestId, cancellationToken);

    /// <summary>The approved entries that can be voted for.</summary>
    public async Task<IReadOnlyList<Entry>> BallotAsync(string contestId, CancellationToken cancellationToken) =>
        (await entryStore.ListAsync(contestId, cancellationToken).ConfigureAwait(false)).Where(e => e.Approved).ToList();

    public async Task<VoteResult> CastAsync(string contestId, string receipt, long userId, DateTimeOffset accountCreatedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (status, window, settings) = await CheckWindowAsync(contestId, now, cancellationToken).ConfigureAwait(false);
        if (status is not null)
        {
            return new VoteResult(status.Value, window);
        }

        var entry = await entryStore.FindAsync(contestId, receipt, cancellationToken).ConfigureAwait(false);
        if (entry is not { Approved: true })
        {
            return new VoteResult(VoteStatus.UnknownEntry, window);
        }

        var limit = settings!.Voting.VotesPerPerson;
        var (result, used) = await store.AddAsync(new Vote(contestId, entry.Id, userId, now, accountCreatedAt), limit, cancellationToken).ConfigureAwait(false);
        return new VoteResult(result, window, used, limit);
    }

    public async Task<VoteResult> WithdrawAsync(string contestId, string receipt, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (status, window, settings) = await CheckWindowAsync(contestId, now, cancellationToken).ConfigureAwait(false);
        if (status is not null)
        {
            return new VoteResult(status.Value, window);
        }

        if (!settings!.Voting.AllowChange)
        {
            return new VoteResult(VoteStatus.ChangeNotAllowed, window);
        }

        var entry = await entryStore.FindAsync(contestId, receipt, cancellationToken).ConfigureAwait(false);
        return entry is not null && await store.RemoveAsync(contestId, entry.Id, userId, cancellationToken).ConfigureAwait(false)
            ? new VoteResult(VoteStatus.Withdrawn, window)
            : new VoteResult(VoteStatus.NotVoted, window);
    }

    /// <summary>Receipts the person voted for in the contest.</summary>
    public async Task<IReadOnlySet<long>> MyVotesAsync(string contestId, long userId, CancellationToken cancellationToken) =>
        (await store.ListAsync(contestId, cancellationToken).ConfigureAwait(false)).Where(v => v.UserId == userId).Select(v => v.EntryId).ToHashSet();

    /// <summary>Votes per approved entry, from the stored votes; an entry with at least <c>burst_votes</c> votes from accounts created less than
    /// <c>new_account_minutes</c> before voting is flagged.</summary>
    public async Task<Tally> TallyAsync(string contestId, CancellationToken cancellationToken)
    {
        var settings = entries.Find(contestId)?.Settings.Voting ?? new VoteSettings();
        var votes = await store.ListAsync(contestId, cancellationToken).ConfigureAwait(false);
        var all = await entryStore.ListAsync(contestId, cancellationToken).ConfigureAwait(false);
        var young = TimeSpan.FromMinutes(settings.NewAccountMinutes);
        var rows = all.Where(e => e.Approved || votes.Any(v => v.EntryId == e.Id)).Select(e =>
        {
            var mine = votes.Where(v => v.EntryId == e.Id).ToList();
            var fresh = mine.Count(v => v.VotedAt - v.AccountCreatedAt < young);
            return new TallyRow(e.Id, e.Receipt, e.Title, e.Unit, mine.Count, fresh, fresh >= settings.BurstVotes);
        }).OrderByDescending(r => r.Votes).ThenBy(r => r.Receipt, StringComparer.Ordinal).ToList();
        return new Tally(contestId, await store.FindWindowAsync(contestId, cancellationToken).ConfigureAwait(false), rows, votes.Count);
    }

    private async Task<(VoteStatus? Refusal, VoteWindow? Window, EntrySettings? Settings)> CheckWindowAsync(string contestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entries.Find(contestId) is not { } found)
        {
            return (VoteStatus.NoWindow, null, null);
        }

        var window = await store.FindWindowAsync(contestId, cancellationToken).ConfigureAwait(false);
        if (window is null)
        {
            return (VoteStatus.NoWindow, null, found.Settings);
        }

        if (now < window.OpensAt)
        {
            return (VoteStatus.NotOpenYet, window, found.Settings);
        }

        return now >= window.ClosesAt ? (VoteStatus.Closed, window, found.Settings) : (null, window, found.Settings);
    }
}
