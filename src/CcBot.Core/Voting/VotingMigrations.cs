using CcBot.Core.Storage;

namespace CcBot.Core.Voting;

/// <summary>Tables of the voting slice; instants as Unix milliseconds (UTC).</summary>
public sealed class VotingMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0310_voting", """
            CREATE TABLE vote_windows(
                contest_id TEXT PRIMARY KEY,
                opens_at INTEGER NOT NULL,
                closes_at INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE votes(
                contest_id TEXT NOT NULL,
                entry_id INTEGER NOT NULL,
                user_id INTEGER NOT NULL,
                voted_at INTEGER NOT NULL,
                account_created_at INTEGER NOT NULL,
                PRIMARY KEY(contest_id, user_id, entry_id)) WITHOUT ROWID;
            CREATE INDEX ix_votes_entry ON votes(contest_id, entry_id);
            """),
    ];
}
