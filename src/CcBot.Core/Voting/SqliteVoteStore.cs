using CcBot.Core.Storage;

namespace CcBot.Core.Voting;

public sealed class SqliteVoteStore(SqliteDatabase db) : IVoteStore
{
    public Task SetWindowAsync(VoteWindow window, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "INSERT OR REPLACE INTO vote_windows(contest_id, opens_at, closes_at) VALUES ($c, $o, $e)");
            cmd.Parameters.AddWithValue("$c", window.ContestId);
            cmd.Parameters.AddWithValue("$o", window.OpensAt.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$e", window.ClosesAt.ToUnixTimeMilliseconds());
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task<VoteWindow?> FindWindowAsync(string contestId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT opens_at, closes_at FROM vote_windows WHERE contest_id = $c";
        cmd.Parameters.AddWithValue("$c", contestId);
        using var r = cmd.ExecuteReader();
        return Task.FromResult(r.Read()
            ? new VoteWindow(contestId, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)))
            : null);
    }

    public Task<(VoteStatus Status, int Used)> AddAsync(Vote vote, int limit, CancellationToken cancellationToken) =>
        db.WriteAsync<(VoteStatus, int)>((conn, tx) =>
        {
            var count = db.Prepared(conn, tx, "SELECT count(*), coalesce(sum(entry_id = $e), 0) FROM votes WHERE contest_id = $c AND user_id = $u");
            count.Parameters.AddWithValue("$c", vote.ContestId);
            count.Parameters.AddWithValue("$u", vote.UserId);
            count.Parameters.AddWithValue("$e", vote.EntryId);
            int used;
            long same;
            using (var r = count.ExecuteReader())
            {
                r.Read();
                used = r.GetInt32(0);
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

            var ins = db.Prepared(conn, tx, "INSERT INTO votes(contest_id, entry_id, user_id, voted_at, account_created_at) VALUES ($c, $e, $u, $at, $cr)");
            ins.Parameters.AddWithValue("$c", vote.ContestId);
            ins.Parameters.AddWithValue("$e", vote.EntryId);
            ins.Parameters.AddWithValue("$u", vote.UserId);
            ins.Parameters.AddWithValue("$at", vote.VotedAt.ToUnixTimeMilliseconds());
            ins.Parameters.AddWithValue("$cr", vote.AccountCreatedAt.ToUnixTimeMilliseconds());
            ins.ExecuteNonQuery();
            return (VoteStatus.Recorded, used + 1);
        }, cancellationToken);

    public Task<bool> RemoveAsync(string contestId, long entryId, long userId, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "DELETE FROM votes WHERE contest_id = $c AND entry_id = $e AND user_id = $u");
            cmd.Parameters.AddWithValue("$c", contestId);
            cmd.Parameters.AddWithValue("$e", entryId);
            cmd.Parameters.AddWithValue("$u", userId);
            return cmd.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<Vote>> ListAsync(string contestId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT entry_id, user_id, voted_at, account_created_at FROM votes WHERE contest_id = $c ORDER BY voted_at, user_id, entry_id";
        cmd.Parameters.AddWithValue("$c", contestId);
        using var r = cmd.ExecuteReader();
        var list = new List<Vote>();
        while (r.Read())
        {
            list.Add(new Vote(contestId, r.GetInt64(0), r.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
        }

        return Task.FromResult<IReadOnlyList<Vote>>(list);
    }
}
