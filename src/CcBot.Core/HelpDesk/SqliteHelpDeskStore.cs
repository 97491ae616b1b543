using System.Collections.Concurrent;
using System.Globalization;
using CcBot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CcBot.Core.HelpDesk;

/// <summary>
/// Tickets (escalations), the audit log and staff FAQ entries in SQLite. One process owns the file, so the claimed
/// conversations are kept in memory: the gate in front of the router asks without a query.
/// </summary>
public sealed class SqliteHelpDeskStore(SqliteDatabase db) : IHelpDeskStore
{
    private const string TicketColumns = """
        id, conversation_key, channel, user_id, inbound_seq, reason, text, intent, confidence, contest_id, status, created_at,
        claimed_by, claimed_at, resolved_by, resolved_at
        """;

    private readonly Lazy<ConcurrentDictionary<string, byte>> _claimed = new(() => LoadClaimed(db));

    /// <summary>In memory, no query.</summary>
    public ValueTask<bool> IsClaimedAsync(string conversationKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_claimed.Value.ContainsKey(conversationKey));

    public async Task<IReadOnlyList<Ticket>> ListAsync(bool open, int max, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = open
            ? $"SELECT {TicketColumns} FROM escalations WHERE status = 'open' ORDER BY created_at, id LIMIT $max"
            : $"SELECT {TicketColumns} FROM escalations WHERE status <> 'open' ORDER BY resolved_at DESC, id DESC LIMIT $max";
        cmd.Parameters.AddWithValue("$max", max);
        return await ReadTicketsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Ticket?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT {TicketColumns} FROM escalations WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return (await ReadTicketsAsync(cmd, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<bool> ClaimAsync(long id, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = await db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, """
                UPDATE escalations SET claimed_by = $staff, claimed_at = $at
                WHERE id = $id AND status = 'open' AND (claimed_by IS NULL OR claimed_by = $staff)
                RETURNING conversation_key
                """);
            cmd.Parameters.AddWithValue("$staff", staff);
            cmd.Parameters.AddWithValue("$at", Iso(at));
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteScalar() as string;
        }, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return false;
        }

        _claimed.Value[key] = 0;
        return true;
    }

    public async Task<bool> ResolveAsync(long id, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var result = await db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, """
                UPDATE escalations SET status = 'resolved', resolved_by = $staff, resolved_at = $at
                WHERE id = $id AND status = 'open'
                RETURNING conversation_key
                """);
            cmd.Parameters.AddWithValue("$staff", staff);
            cmd.Parameters.AddWithValue("$at", Iso(at));
            cmd.Parameters.AddWithValue("$id", id);
            if (cmd.ExecuteScalar() is not string key)
            {
                return (Key: (string?)null, StillClaimed: false);
            }

            var other = db.Prepared(conn, tx, "SELECT COUNT(*) FROM escalations WHERE conversation_key = $key AND status = 'open' AND claimed_by IS NOT NULL");
            other.Parameters.AddWithValue("$key", key);
            return (Key: key, StillClaimed: Convert.ToInt64(other.ExecuteScalar(), CultureInfo.InvariantCulture) > 0);
        }, cancellationToken).ConfigureAwait(false);
        if (result.Key is null)
        {
            return false;
        }

        if (!result.StillClaimed)
        {
            _claimed.Value.TryRemove(result.Key, out _);
        }

        return true;
    }

    public Task AuditAsync(string staff, string action, string? target, string? detail, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "INSERT INTO audit_log(at, staff_user, action, target, detail) VALUES ($at, $staff, $action, $target, $detail)");
            cmd.Parameters.AddWithValue("$at", Iso(at));
            cmd.Parameters.AddWithValue("$staff", staff);
            cmd.Parameters.AddWithValue("$action", action);
            cmd.Parameters.AddWithValue("$target", (object?)target ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT at, staff_user, action, target, detail FROM audit_log ORDER BY id DESC LIMIT $max";
        cmd.Parameters.AddWithValue("$max", max);
        var list = new List<AuditEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AuditEntry(Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
        }

        return list;
    }

    public async Task<StaffFaqEntry> AddFaqAsync(string question, string answer, string? intent, string? contestId, long? escalationId, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var id = await db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, """
                INSERT INTO staff_faq(question, answer, intent, contest_id, escalation_id, created_by, created_at)
                VALUES ($q, $a, $intent, $contest, $esc, $staff, $at) RETURNING id
                """);
            cmd.Parameters.AddWithValue("$q", question);
            cmd.Parameters.AddWithValue("$a", answer);
            cmd.Parameters.AddWithValue("$intent", (object?)intent ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$contest", (object?)contestId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$esc", (object?)escalationId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$staff", staff);
            cmd.Parameters.AddWithValue("$at", Iso(at));
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
        return new StaffFaqEntry(id, question, answer, intent, contestId, staff, at);
    }

    public IReadOnlyList<StaffFaqEntry> ReadFaq()
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT id, question, answer, intent, contest_id, created_by, created_at FROM staff_faq ORDER BY id";
        var list = new List<StaffFaqEntry>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new StaffFaqEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), Parse(r.GetString(6))));
        }

        return list;
    }

    public Task<IReadOnlyList<StaffExample>> AddExamplesAsync(IReadOnlyList<string> texts, string intent, string staff, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync<IReadOnlyList<StaffExample>>((conn, tx) =>
        {
            var added = new List<StaffExample>(texts.Count);
            foreach (var text in texts)
            {
                var cmd = db.Prepared(conn, tx, "INSERT INTO staff_examples(text, intent, created_by, created_at) VALUES ($text, $intent, $staff, $at) RETURNING id");
                cmd.Parameters.AddWithValue("$text", text);
                cmd.Parameters.AddWithValue("$intent", intent);
                cmd.Parameters.AddWithValue("$staff", staff);
                cmd.Parameters.AddWithValue("$at", Iso(at));
                added.Add(new StaffExample(Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture), text, intent));
            }

            return added;
        }, cancellationToken);

    public IReadOnlyList<StaffExample> ReadExamples()
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT id, text, intent FROM staff_examples ORDER BY id";
        var list = new List<StaffExample>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new StaffExample(r.GetInt64(0), r.GetString(1), r.GetString(2)));
        }

        return list;
    }

    public async Task<(long Faq, long Examples)> CountKnowledgeAsync(CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM staff_faq), (SELECT COUNT(*) FROM staff_examples)";
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (r.GetInt64(0), r.GetInt64(1));
    }

    public async Task<IReadOnlyList<Ticket>> ListMisunderstoodAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT {TicketColumns} FROM escalations WHERE status = 'open' AND reason IN ('low_confidence', 'unhelpful') AND claimed_by IS NULL ORDER BY created_at DESC LIMIT $max";
        cmd.Parameters.AddWithValue("$max", max);
        return await ReadTicketsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    private static ConcurrentDictionary<string, byte> LoadClaimed(SqliteDatabase database)
    {
        var set = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        using var conn = database.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT conversation_key FROM escalations WHERE status = 'open' AND claimed_by IS NOT NULL";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            set[r.GetString(0)] = 0;
        }

        return set;
    }

    private static async Task<IReadOnlyList<Ticket>> ReadTicketsAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<Ticket>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Ticket(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetDouble(8),
                r.IsDBNull(9) ? null : r.GetString(9), r.GetString(10), Parse(r.GetString(11)),
                r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : Parse(r.GetString(13)),
                r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : Parse(r.GetString(15))));
        }

        return list;
    }

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
