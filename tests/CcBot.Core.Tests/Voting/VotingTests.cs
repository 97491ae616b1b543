using CcBot.Core.Entries;
using CcBot.Core.Tests.Entries;
using CcBot.Core.Time;
using CcBot.Core.Voting;

namespace CcBot.Core.Tests.Voting;

/// <summary>Run against both storage providers (see the <c>On...</c> classes at the end).</summary>
public abstract class VotingTests(string provider)
{
    private const string KhanhHoa = "khanh-hoa-2021";
    private static readonly DateTimeOffset Submitted = VietnamTime.At(2021, 7, 1, 9, 0);
    private static readonly DateTimeOffset Opens = VietnamTime.At(2021, 8, 1, 8, 0);
    private static readonly DateTimeOffset Closes = VietnamTime.At(2021, 8, 10, 17, 0);
    private static readonly DateTimeOffset OldAccount = VietnamTime.At(2021, 1, 1);

    private async Task<EntryHarness> WithClipsAsync(int count)
    {
        var h = await EntryHarness.CreateAsync(provider);
        for (var i = 1; i <= count; i++)
        {
            var r = await h.Service.SubmitAsync(KhanhHoa, new Submitter(100 + i, "Tác giả " + i, "Đơn vị " + i), "Clip " + i, null, "https://youtu.be/clip" + i, Submitted, default);
            r.Status.Should().Be(SubmitStatus.Accepted);
        }

        await h.Store.ApproveAsync(KhanhHoa, Enumerable.Range(1, count).Select(i => $"KH21-{i:0000}").ToList(), default);
        await h.Voting.OpenAsync(KhanhHoa, Opens, Closes, default);
        return h;
    }

    [Fact]
    public async Task Vote_once_and_a_double_vote_is_refused()
    {
        await using var h = await WithClipsAsync(2);
        var now = Opens.AddHours(1);
        (await h.Voting.CastAsync(KhanhHoa, "KH21-0001", 1, OldAccount, now, default)).Status.Should().Be(VoteStatus.Recorded);
        (await h.Voting.CastAsync(KhanhHoa, "kh21-0001", 1, OldAccount, now, default)).Status.Should().Be(VoteStatus.AlreadyVoted);
        (await h.Voting.CastAsync(KhanhHoa, "KH21-0002", 1, OldAccount, now, default)).Status.Should().Be(VoteStatus.Recorded);
        (await h.Voting.CastAsync(KhanhHoa, "KH21-0099", 1, OldAccount, now, default)).Status.Should().Be(VoteStatus.UnknownEntry);
    }

    [Fact]
    public async Task Votes_per_person_limit_and_change_rule()
    {
        await using var h = await WithClipsAsync(4);
        var now = Opens.AddHours(1);
        for (var i = 1; i <= 3; i++)
        {
            (await h.Voting.CastAsync(KhanhHoa, $"KH21-{i:0000}", 1, OldAccount, now, default)).Status.Should().Be(VoteStatus.Recorded);
        }

        var fourth = await h.Voting.CastAsync(KhanhHoa, "KH21-0004", 1, OldAccount, now, default);
        fourth.Status.Should().Be(VoteStatus.LimitReached);
        fourth.Limit.Should().Be(3);
        (await h.Voting.WithdrawAsync(KhanhHoa, "KH21-0001", 1, now, default)).Status.Should().Be(VoteStatus.Withdrawn);
        (await h.Voting.CastAsync(KhanhHoa, "KH21-0004", 1, OldAccount, now, default)).Status.Should().Be(VoteStatus.Recorded);
    }

    [Fact]
    public async Task Unapproved_entries_cannot_be_voted_for()
    {
        await using var h = await WithClipsAsync(1);
        await h.Service.SubmitAsync(KhanhHoa, new Submitter(200, "X", "Y"), "Chưa duyệt", null, "https://youtu.be/x", Submitted, default);
        (await h.Voting.CastAsync(KhanhHoa, "KH21-0002", 1, OldAccount, Opens.AddHours(1), default)).Status.Should().Be(VoteStatus.UnknownEntry);
        (await h.Voting.BallotAsync(KhanhHoa, default)).Select(e => e.Receipt).Should().Equal("KH21-0001");
    }

    [Fact]
    public async Task Votes_outside_the_window_are_refused_with_the_window()
    {
        await using var h = await WithClipsAsync(1);
        var early = await h.Voting.CastAsync(KhanhHoa, "KH21-0001", 1, OldAccount, Opens.AddMinutes(-1), default);
        early.Status.Should().Be(VoteStatus.NotOpenYet);
        early.Window!.OpensAt.Should().Be(Opens);
        (await h.Voting.CastAsync(KhanhHoa, "KH21-0001", 1, OldAccount, Closes, default)).Status.Should().Be(VoteStatus.Closed);
        (await h.Voting.CastAsync(KhanhHoa, "KH21-0001", 1, OldAccount, Closes.AddTicks(-1), default)).Status.Should().Be(VoteStatus.Recorded);
    }

    [Fact]
    public async Task Tally_equals_stored_votes_and_flags_a_burst_of_new_accounts()
    {
        await using var h = await WithClipsAsync(3);
        var now = Opens.AddHours(2);
        for (var u = 1; u <= 7; u++)
        {
            await h.Voting.CastAsync(KhanhHoa, "KH21-0002", u, now.AddMinutes(-5), now, default);
        }

        for (var u = 10; u <= 12; u++)
        {
            await h.Voting.CastAsync(KhanhHoa, "KH21-0001", u, OldAccount, now, default);
            await h.Voting.CastAsync(KhanhHoa, "KH21-0003", u, OldAccount, now, default);
        }

        var tally = await h.Voting.TallyAsync(KhanhHoa, default);
        var stored = await h.Votes.ListAsync(KhanhHoa, default);
        tally.TotalVotes.Should().Be(stored.Count).And.Be(13);
        tally.Rows.Sum(r => r.Votes).Should().Be(stored.Count);
        foreach (var row in tally.Rows)
        {
            row.Votes.Should().Be(stored.Count(v => v.EntryId == row.EntryId));
        }

        tally.Rows[0].Receipt.Should().Be("KH21-0002");
        tally.Rows[0].Burst.Should().BeTrue();
        tally.Rows[0].NewAccountVotes.Should().Be(7);
        tally.Rows.Skip(1).Should().OnlyContain(r => !r.Burst);
    }
}

public sealed class VotingOnSqlite() : VotingTests("sqlite");

public sealed class VotingOnPostgres() : VotingTests("postgres");
