using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;

namespace CcBot.Core.Voting;

/// <summary>
/// PostgreSQL twin of <see cref="VotingMigrations"/>: the same tables and columns; instants stay Unix milliseconds
/// (<c>bigint</c>) as on SQLite. The primary key is what makes a second vote for the same entry impossible.
/// </summary>
public sealed class PostgresVotingMigrations : IPostgresMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0310_voting", """
            CREATE TABLE vote_windows(
                contest_id text PRIMARY KEY,
                opens_at bigint NOT NULL,
                closes_at bigint NOT NULL);
            CREATE TABLE votes(
                contest_id text NOT NULL,
                entry_id bigint NOT NULL,
                user_id bigint NOT NULL,
                voted_at bigint NOT NULL,
                account_created_at bigint NOT NULL,
                PRIMARY KEY(contest_id, user_id, entry_id));
            CREATE INDEX ix_votes_entry ON votes(contest_id, entry_id);
            """),
    ];
}
