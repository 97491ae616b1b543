using System.Globalization;
using System.Text.Json;
using CcBot.Core.Storage.Postgres;
using Npgsql;
using static CcBot.Core.Storage.Postgres.PgCommands;

namespace CcBot.Core.Entries;

/// <summary>
/// The entry store on the shared PostgreSQL database. Submissions to one contest take a transaction-scoped advisory
/// lock, so the per-person and per-unit limits and the next receipt number hold when several instances accept
/// entries at once (the unique (contest, seq) and (contest, receipt) constraints are the backstop).
/// </summary>
public sealed class PostgresEntryStore(PostgresDatabase db) : IEntryStore
{
    private const string Columns = "id, contest_id, receipt, user_id, full_name, unit, title, file_hash, file_name, file_size, video_url, text, received_at, approved";

    public Task<(Entry? Entry, SubmitStatus Status)> InsertAsync(NewEntry e, string receiptPrefix, int perPerson, int perUnit, CancellationToken cancellationToken) =>
        db.InTransactionAsync<(Entry?, SubmitStatus)>(async (conn, tx) =>
        {
            var unitKey = EntryUnit.Key(e.Unit);
            await LockAsync(conn, tx, "entries:" + e.ContestId, cancellationToken).ConfigureAwait(false);
            if (await ScalarAsync(conn, tx, "SELECT count(*) FROM entries WHERE contest_id = @c AND user_id = @u", cancellationToken,
                ("c", e.ContestId), ("u", e.UserId)).ConfigureAwait(false) >= perPerson)
            {
                return (null, SubmitStatus.PersonLimit);
            }

            if (await ScalarAsync(conn, tx, "SELECT count(*) FROM entries WHERE contest_id = @c AND unit_key = @k", cancellationToken,
                ("c", e.ContestId), ("k", unitKey)).ConfigureAwait(false) >= perUnit)
            {
                return (null, SubmitStatus.UnitLimit);
            }

            var seq = await ScalarAsync(conn, tx, "SELECT coalesce(max(seq), 0) + 1 FROM entries WHERE contest_id = @c", cancellationToken, ("c", e.ContestId)).ConfigureAwait(false);
            var receipt = receiptPrefix + "-" + seq.ToString("0000", CultureInfo.InvariantCulture);
            var id = await ScalarAsync(conn, tx, """
                INSERT INTO entries(contest_id, seq, receipt, user_id, full_name, unit, unit_key, title, file_hash, file_name, file_size, video_url, text, received_at)
                VALUES (@c, @seq, @r, @u, @n, @unit, @k, @t, @h, @fn, @fs, @v, @x, @at) RETURNING id
                """, cancellationToken,
                ("c", e.ContestId),
                ("seq", seq),
                ("r", receipt),
                ("u", e.UserId),
                ("n", e.FullName),
                ("unit", e.Unit),
                ("k", unitKey),
                ("t", e.Title),
                ("h", e.FileHash),
                ("fn", e.FileName),
                ("fs", e.FileSize),
                ("v", e.VideoUrl),
                ("x", e.Text),
                ("at", e.ReceivedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            return (new Entry(id, e.ContestId, receipt, e.UserId, e.FullName, e.Unit, e.Title, e.FileHash, e.FileName, e.FileSize, e.VideoUrl, e.Text, e.ReceivedAt, false),
                SubmitStatus.Accepted);
        }, cancellationToken);

    public Task<IReadOnlyList<Entry>> ListAsync(string contestId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM entries WHERE contest_id = @p ORDER BY seq", contestId, cancellationToken);

    public Task<IReadOnlyList<Entry>> ListByUserAsync(long userId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM entries WHERE user_id = @p ORDER BY received_at, id", userId, cancellationToken);

    public async Task<Entry?> FindAsync(string contestId, string receipt, CancellationToken cancellationToken) =>
        (await ListAsync(contestId, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(e => e.Receipt.Equals(receipt.Trim(), StringComparison.OrdinalIgnoreCase));

    public Task<int> ApproveAsync(string contestId, IReadOnlyCollection<string> receipts, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (conn, tx) =>
        {
            var n = 0;
            foreach (var r in receipts)
            {
                // Receipts are ASCII ("KH21-0001"): upper() matches them case-insensitively like SQLite's NOCASE.
                n += await ExecAsync(conn, tx, "UPDATE entries SET approved = true WHERE contest_id = @c AND upper(receipt) = upper(@r)", cancellationToken,
                    ("c", contestId), ("r", r.Trim())).ConfigureAwait(false);
            }

            return n;
        }, cancellationToken);

    public Task AddFlagsAsync(IReadOnlyList<SimilarityFlag> flags, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (conn, tx) =>
        {
            foreach (var f in flags)
            {
                await ExecAsync(conn, tx, """
                    INSERT INTO entry_similarity(contest_id, entry_a, entry_b, score, passages) VALUES (@c, @a, @b, @s, @p)
                    ON CONFLICT (entry_a, entry_b) DO UPDATE SET contest_id = excluded.contest_id, score = excluded.score, passages = excluded.passages
                    """, cancellationToken,
                    ("c", f.ContestId),
                    ("a", Math.Min(f.EntryA, f.EntryB)),
                    ("b", Math.Max(f.EntryA, f.EntryB)),
                    ("s", f.Score),
                    ("p", JsonSerializer.Serialize(f.Passages))).ConfigureAwait(false);
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<SimilarityFlag>> ListFlagsAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "SELECT contest_id, entry_a, entry_b, score, passages FROM entry_similarity WHERE contest_id = @c ORDER BY score DESC, entry_a, entry_b",
            ("c", contestId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<SimilarityFlag>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new SimilarityFlag(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetDouble(3), JsonSerializer.Deserialize<List<string>>(r.GetString(4)) ?? []));
        }

        return list;
    }

    public async Task ReopenAsync(string contestId, string unit, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(conn, null, """
            INSERT INTO entry_reopen(contest_id, unit_key, until_at) VALUES (@c, @k, @u)
            ON CONFLICT (contest_id, unit_key) DO UPDATE SET until_at = excluded.until_at
            """, cancellationToken, ("c", contestId), ("k", EntryUnit.Key(unit)), ("u", until.ToUnixTimeMilliseconds())).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> ReopenedUntilAsync(string contestId, string unit, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "SELECT until_at FROM entry_reopen WHERE contest_id = @c AND unit_key = @k",
            ("c", contestId), ("k", EntryUnit.Key(unit)));
        var v = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return v is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private async Task<IReadOnlyList<Entry>> QueryAsync(string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, sql, ("p", parameter));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<Entry>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Entry(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetInt64(9),
                r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)), r.GetBoolean(13)));
        }

        return list;
    }

    
    
    }
