namespace CcBot.Core.Voting;

/// <summary>The period during which a contest's approved entries can be voted for.</summary>
public sealed record VoteWindow(string ContestId, DateTimeOffset OpensAt, DateTimeOffset ClosesAt);

/// <summary>A stored vote: who, for which entry, when, and how old their account was.</summary>
public sealed record Vote(string ContestId, long EntryId, long UserId, DateTimeOffset VotedAt, DateTimeOffset AccountCreatedAt);

public enum VoteStatus
{
    Recorded,
    Withdrawn,
    NoWindow,
    NotOpenYet,
    Closed,
    UnknownEntry,
    AlreadyVoted,
    LimitReached,
    ChangeNotAllowed,
    NotVoted,
}

public sealed record VoteResult(VoteStatus Status, VoteWindow? Window = null, int Used = 0, int Limit = 0);

public sealed record TallyRow(long EntryId, string Receipt, string Title, string Unit, int Votes, int NewAccountVotes, bool Burst);

public sealed record Tally(string ContestId, VoteWindow? Window, IReadOnlyList<TallyRow> Rows, int TotalVotes);
