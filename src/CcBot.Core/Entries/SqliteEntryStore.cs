using System.Globalization;
using System.Text.Json;
using CcBot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CcBot.Core.Entries;

public sealed class SqliteEntryStore(SqliteDatabase db) : IEntryStore
{
    private const string Columns = "id, contest_id, receipt, user_id, full_name, unit, title, file_hash, file_name, file_size, video_url, text, received_at, approved";

    public Task<(Entry? Entry, SubmitStatus Status)> InsertAsync(NewEntry e, string receiptPrefix, int perPerson, int perUnit, CancellationToken cancellationToken) =>
        db.WriteAsync<(Entry?, SubmitStatus)>((conn, tx) =>
        {
            var count = db.Prepared(conn, tx, "SELECT count(*) FROM entries WHERE contest_id = $c AND user_id = $u");
            count.Parameters.AddWithValue("$c", e.ContestId);
            count.Parameters.AddWithValue("$u", e.UserId);
            if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) >= perPerson)
            {
                return (null, SubmitStatus.PersonLimit);
            }

            var unitCount = db.Prepared(conn, tx, "SELECT count(*) FROM entries WHERE contest_id = $c AND unit_key = $k");
            unitCount.Parameters.AddWithValue("$c", e.ContestId);
            unitCount.Parameters.AddWithValue("$k", EntryUnit.Key(e.Unit));
            if (Convert.ToInt64(unitCount.ExecuteScalar(), CultureInfo.InvariantCulture) >= perUnit)
            {
                return (null, SubmitStatus.UnitLimit);
            }

            var next = db.Prepared(conn, tx, "SELECT coalesce(max(seq), 0) + 1 FROM entries WHERE contest_id = $c");
            next.Parameters.AddWithValue("$c", e.ContestId);
            var seq = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
            var receipt = receiptPrefix + "-" + seq.ToString("0000", CultureInfo.InvariantCulture);
            var ins = db.Prepared(conn, tx, """
                INSERT INTO entries(contest_id, seq, receipt, user_id, full_name, unit, unit_key, title, file_hash, file_name, file_size, video_url, text, received_at)
                VALUES ($c, $seq, $r, $u, $n, $unit, $k, $t, $h, $fn, $fs, $v, $x, $at) RETURNING id
                """);
            ins.Parameters.AddWithValue("$c", e.ContestId);
            ins.Parameters.AddWithValue("$seq", seq);
            ins.Parameters.AddWithValue("$r", receipt);
            ins.Parameters.AddWithValue("$u", e.UserId);
            ins.Parameters.AddWithValue("$n", e.FullName);
            ins.Parameters.AddWithValue("$unit", e.Unit);
            ins.Parameters.AddWithValue("$k", EntryUnit.Key(e.Unit));
            ins.Parameters.AddWithValue("$t", e.Title);
            ins.Parameters.AddWithValue("$h", (object?)e.FileHash ?? DBNull.Value);
            ins.Parameters.AddWithValue("$fn", (object?)e.FileName ?? DBNull.Value);
            ins.Parameters.AddWithValue("$fs", (object?)e.FileSize ?? DBNull.Value);
            ins.Parameters.AddWithValue("$v", (object?)e.VideoUrl ?? DBNull.Value);
            ins.Parameters.AddWithValue("$x", (object?)e.Text ?? DBNull.Value);
            ins.Parameters.AddWithValue("$at", e.ReceivedAt.ToUnixTimeMilliseconds());
            var id = Convert.ToInt64(ins.ExecuteScalar(), CultureInfo.InvariantCulture);
            return (new Entry(id, e.ContestId, receipt, e.UserId, e.FullName, e.Unit, e.Title, e.FileHash, e.FileName, e.FileSize, e.VideoUrl, e.Text, e.ReceivedAt, false),
                SubmitStatus.Accepted);
        }, cancellationToken);

    public Task<IReadOnlyList<Entry>> ListAsync(string contestId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM entries WHERE contest_id = $p ORDER BY seq", contestId, cancellationToken);

    public Task<IReadOnlyList<Entry>> ListByUserAsync(long userId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM entries WHERE user_id = $p ORDER BY received_at, id", userId, cancellationToken);

    public async Task<Entry?> FindAsync(string contestId, string receipt, CancellationToken cancellationToken) =>
        (await ListAsync(contestId, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(e => e.Receipt.Equals(receipt.Trim(), StringComparison.OrdinalIgnoreCase));

    public Task<int> ApproveAsync(string contestId, IReadOnlyCollection<string> receipts, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var n = 0;
            foreach (var r in receipts)
            {
                var cmd = db.Prepared(conn, tx, "UPDATE entries SET approved = 1 WHERE contest_id = $c AND receipt = $r COLLATE NOCASE");
                cmd.Parameters.AddWithValue("$c", contestId);
                cmd.Parameters.AddWithValue("$r", r.Trim());
                n += cmd.ExecuteNonQuery();
            }

            return n;
        }, cancellationToken);

    public Task AddFlagsAsync(IReadOnlyList<SimilarityFlag> flags, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            foreach (var f in flags)
            {
                var cmd = db.Prepared(conn, tx, "INSERT OR REPLACE INTO entry_similarity(contest_id, entry_a, entry_b, score, passages) VALUES ($c, $a, $b, $s, $p)");
                cmd.Parameters.AddWithValue("$c", f.ContestId);
                cmd.Parameters.AddWithValue("$a", Math.Min(f.EntryA, f.EntryB));
                cmd.Parameters.AddWithValue("$b", Math.Max(f.EntryA, f.EntryB));
                cmd.Parameters.AddWithValue("$s", f.Score);
                cmd.Parameters.AddWithValue("$p", JsonSerializer.Serialize(f.Passages));
                cmd.ExecuteNonQuery();
            }
        }, cancellationToken);

    public Task<IReadOnlyList<SimilarityFlag>> ListFlagsAsync(string contestId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT contest_id, entry_a, entry_b, score, passages FROM entry_similarity WHERE contest_id = $c ORDER BY score DESC, entry_a, entry_b";
        cmd.Parameters.AddWithValue("$c", contestId);
        using var r = cmd.ExecuteReader();
        var list = new List<SimilarityFlag>();
        while (r.Read())
        {
            list.Add(new SimilarityFlag(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetDouble(3), JsonSerializer.Deserialize<List<string>>(r.GetString(4)) ?? []));
        }

        return Task.FromResult<IReadOnlyList<SimilarityFlag>>(list);
    }

    public Task ReopenAsync(string contestId, string unit, DateTimeOffset until, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "INSERT OR REPLACE INTO entry_reopen(contest_id, unit_key, until_at) VALUES ($c, $k, $u)");
            cmd.Parameters.AddWithValue("$c", contestId);
            cmd.Parameters.AddWithValue("$k", EntryUnit.Key(unit));
            cmd.Parameters.AddWithValue("$u", until.ToUnixTimeMilliseconds());
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task<DateTimeOffset?> ReopenedUntilAsync(string contestId, string unit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT until_at FROM entry_reopen WHERE contest_id = $c AND unit_key = $k";
        cmd.Parameters.AddWithValue("$c", contestId);
        cmd.Parameters.AddWithValue("$k", EntryUnit.Key(unit));
        var v = cmd.ExecuteScalar();
        return Task.FromResult<DateTimeOffset?>(v is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    private Task<IReadOnlyList<Entry>> QueryAsync(string sql, object parameter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$p", parameter);
        using var r = cmd.ExecuteReader();
        var list = new List<Entry>();
        while (r.Read())
        {
            list.Add(Read(r));
        }

        return Task.FromResult<IReadOnlyList<Entry>>(list);
    }

    private static Entry Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetInt64(9),
        r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)), r.GetInt64(13) != 0);
}
