using CcBot.Core.Storage.Postgres;
using Npgsql;
using static CcBot.Core.Storage.Postgres.PgCommands;

namespace CcBot.Core.Voting;

/// <summary>
/// The vote store on the shared PostgreSQL database. A person's votes in a contest are counted and added under a
/// transaction-scoped advisory lock, so the per-person limit holds when several instances record votes at once; the
/// primary key (contest, user, entry) keeps one vote per entry.
/// </summary>
public sealed class PostgresVoteStore(PostgresDatabase db) : IVoteStore
{
    public async Task SetWindowAsync(VoteWindow window, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(conn, null, """
            INSERT INTO vote_windows(contest_id, opens_at, closes_at) VALUES (@c, @o, @e)
            ON CONFLICT (contest_id) DO UPDATE SET opens_at = excluded.opens_at, closes_at = excluded.closes_at
            """, cancellationToken,
            ("c", window.ContestId), ("o", window.OpensAt.ToUnixTimeMilliseconds()), ("e", window.ClosesAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
    }

    public async Task<VoteWindow?> FindWindowAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "SELECT opens_at, closes_at FROM vote_windows WHERE contest_id = @c", ("c", contestId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new VoteWindow(contestId, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)))
            : null;
    }

    public Task<(VoteStatus Status, int Used)> AddAsync(Vote vote, int limit, CancellationToken cancellationToken) =>
        db.InTransactionAsync<(VoteStatus, int)>(async (conn, tx) =>
        {
            await ExecAsync(conn, tx, "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", cancellationToken,
                ("key", $"votes:{vote.ContestId}:{vote.UserId}")).ConfigureAwait(false);
            int used;
            long same;
            await using (var count = Command(conn, tx, "SELECT count(*), count(*) FILTER (WHERE entry_id = @e) FROM votes WHERE contest_id = @c AND user_id = @u",
                ("c", vote.ContestId), ("u", vote.UserId), ("e", vote.EntryId)))
            await using (var r = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await r.ReadAsync(cancellationToken).ConfigureAwait(false);
                used = (int)r.GetInt64(0);
                same = r.GetInt64(1);
            }

            if (same > 0)
            {
                return (VoteStatus.AlreadyVoted, used);
            }

            if (used >= limit)
            {
                return (VoteStatus.LimitReached, used);
            }

            var added = await ExecAsync(conn, tx, """
                INSERT INTO votes(contest_id, entry_id, user_id, voted_at, account_created_at) VALUES (@c, @e, @u, @at, @cr)
                ON CONFLICT (contest_id, user_id, entry_id) DO NOTHING
                """, cancellationToken,
                ("c", vote.ContestId),
                ("e", vote.EntryId),
                ("u", vote.UserId),
                ("at", vote.VotedAt.ToUnixTimeMilliseconds()),
                ("cr", vote.AccountCreatedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            return added == 1 ? (VoteStatus.Recorded, used + 1) : (VoteStatus.AlreadyVoted, used);
        }, cancellationToken);

    public async Task<bool> RemoveAsync(string contestId, long entryId, long userId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecAsync(conn, null, "DELETE FROM votes WHERE contest_id = @c AND entry_id = @e AND user_id = @u", cancellationToken,
            ("c", contestId), ("e", entryId), ("u", userId)).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<Vote>> ListAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null,
            "SELECT entry_id, user_id, voted_at, account_created_at FROM votes WHERE contest_id = @c ORDER BY voted_at, user_id, entry_id", ("c", contestId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<Vote>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Vote(contestId, r.GetInt64(0), r.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
        }

        return list;
    }

    
    }
