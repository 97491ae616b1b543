using CcBot.Core.Tests.Entries;
using CcBot.Core.Voting;

namespace CcBot.Core.Tests.Voting;

/// <summary>
/// The <see cref="IVoteStore"/> contract, run against SQLite and PostgreSQL: every method, and the guarantees that must
/// hold when several instances record votes at once (one vote per entry and person, the per-person limit).
/// </summary>
public abstract class VoteStoreContractTests(string provider)
{
    private const string Contest = "khanh-hoa-2021";
    private const string OtherContest = "ha-noi-2019";
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_627_779_600_555);
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_609_459_200_001);
    private static readonly CancellationToken None = CancellationToken.None;

    private static Vote V(long entry, long user, int minute = 0, string contest = Contest) => new(contest, entry, user, T0.AddMinutes(minute), Created);

    [Fact]
    public async Task Twenty_votes_at_once_by_one_person_for_one_entry_count_once()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => h.Votes.AddAsync(V(1, 42), 3, None))));

        results.Count(r => r.Status == VoteStatus.Recorded).Should().Be(1);
        results.Where(r => r.Status != VoteStatus.Recorded).Should().OnlyContain(r => r.Status == VoteStatus.AlreadyVoted && r.Used == 1);
        (await h.Votes.ListAsync(Contest, None)).Should().ContainSingle();
    }

    [Fact]
    public async Task Twenty_votes_at_once_by_one_person_for_different_entries_stop_at_the_limit()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(e => Task.Run(() => h.Votes.AddAsync(V(e, 42), 3, None))));

        results.Count(r => r.Status == VoteStatus.Recorded).Should().Be(3);
        results.Where(r => r.Status == VoteStatus.Recorded).Select(r => r.Used).Should().BeEquivalentTo(new[] { 1, 2, 3 });
        results.Where(r => r.Status != VoteStatus.Recorded).Should().OnlyContain(r => r.Status == VoteStatus.LimitReached && r.Used == 3);
        (await h.Votes.ListAsync(Contest, None)).Should().HaveCount(3);
        (await h.Votes.AddAsync(V(1, 43), 3, None)).Should().Be((VoteStatus.Recorded, 1));
        (await h.Votes.AddAsync(V(1, 42, contest: OtherContest), 3, None)).Should().Be((VoteStatus.Recorded, 1));
    }

    [Fact]
    public async Task A_withdrawn_vote_frees_its_place()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        (await h.Votes.AddAsync(V(1, 7), 2, None)).Should().Be((VoteStatus.Recorded, 1));
        (await h.Votes.AddAsync(V(2, 7), 2, None)).Should().Be((VoteStatus.Recorded, 2));
        (await h.Votes.AddAsync(V(2, 7), 2, None)).Should().Be((VoteStatus.AlreadyVoted, 2));
        (await h.Votes.AddAsync(V(3, 7), 2, None)).Should().Be((VoteStatus.LimitReached, 2));

        (await h.Votes.RemoveAsync(Contest, 1, 7, None)).Should().BeTrue();
        (await h.Votes.RemoveAsync(Contest, 1, 7, None)).Should().BeFalse();
        (await h.Votes.RemoveAsync(OtherContest, 2, 7, None)).Should().BeFalse();
        (await h.Votes.AddAsync(V(3, 7), 2, None)).Should().Be((VoteStatus.Recorded, 2));
    }

    [Fact]
    public async Task A_window_is_replaced_and_votes_are_listed_in_time_order()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        (await h.Votes.FindWindowAsync(Contest, None)).Should().BeNull();
        await h.Votes.SetWindowAsync(new VoteWindow(Contest, T0, T0.AddDays(3)), None);
        await h.Votes.SetWindowAsync(new VoteWindow(Contest, T0.AddDays(1), T0.AddDays(9)), None);
        (await h.Votes.FindWindowAsync(Contest, None)).Should().Be(new VoteWindow(Contest, T0.AddDays(1), T0.AddDays(9)));
        (await h.Votes.FindWindowAsync(OtherContest, None)).Should().BeNull();

        await h.Votes.AddAsync(V(2, 5, minute: 3), 3, None);
        await h.Votes.AddAsync(V(1, 9, minute: 1), 3, None);
        await h.Votes.AddAsync(V(1, 5, minute: 1), 3, None);
        await h.Votes.AddAsync(V(1, 1, minute: 2, contest: OtherContest), 3, None);

        (await h.Votes.ListAsync(Contest, None)).Should().Equal(V(1, 5, 1), V(1, 9, 1), V(2, 5, 3));
    }
}

public sealed class VoteStoreContractOnSqlite() : VoteStoreContractTests("sqlite");

public sealed class VoteStoreContractOnPostgres() : VoteStoreContractTests("postgres");
