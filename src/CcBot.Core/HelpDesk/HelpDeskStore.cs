using System.Collections.Concurrent;
using System.Globalization;
using CcBot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CcBot.Core.HelpDesk;

/// <summary>An escalation as the help desk sees it.</summary>
public sealed record Ticket(
    long Id,
    string ConversationKey,
    string Channel,
    string UserId,
    long? InboundSeq,
    string Reason,
    string Text,
    string? Intent,
    double? Confidence,
    string? ContestId,
    string Status,
    DateTimeOffset CreatedAt,
    string? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt);

/// <summary>An FAQ entry added by staff (kept in the database, loaded into the NLU engine at start).</summary>
public sealed record StaffFaqEntry(long Id, string Question, string Answer, string? Intent, string? ContestId, string CreatedBy, DateTimeOffset CreatedAt)
{
    public string FaqId => "staff-" + Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Tickets (escalations), the audit log and staff FAQ entries in SQLite.</summary>
public sealed class HelpDeskStore(SqliteDatabase db)
{
    private const string TicketColumns = """
        id, conversation_key, channel, user_id, inbound_seq, reason, text, intent, confidence, contest_id, status, created_at,
        claimed_by, claimed_at, resolved_by, resolved_at
        """;

    private readonly Lazy<ConcurrentDictionary<string, byte>> _claimed = new(() => LoadClaimed(db));

    /// <summary>True when the conversation has an open ticket a staff member claimed: the bot keeps quiet. In memory, no query.</summary>
    public bool IsClaimed(string conversationKey) => _claimed.Value.ContainsKey(conversationKey);

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

    /// <summary>Claims an open ticket; false when it is not open or another staff member holds it.</summary>
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

    /// <summary>Resolves a ticket; the conversation goes back to the bot unless another claimed ticket is open in it.</summary>
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

    public async Task<IReadOnlyList<(DateTimeOffset At, string Staff, string Action, string? Target, string? Detail)>> ReadAuditAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT at, staff_user, action, target, detail FROM audit_log ORDER BY id DESC LIMIT $max";
        cmd.Parameters.AddWithValue("$max", max);
        var list = new List<(DateTimeOffset, string, string, string?, string?)>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add((Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
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

    /// <summary>All staff FAQ entries (synchronous: used while the NLU engine loads).</summary>
    public static IReadOnlyList<StaffFaqEntry> ReadFaq(SqliteDatabase database)
    {
        using var conn = database.OpenConnection();
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

    public IReadOnlyList<StaffFaqEntry> ReadFaq() => ReadFaq(db);

    public Task AddExamplesAsync(IReadOnlyList<string> texts, string intent, string staff, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            foreach (var text in texts)
            {
                var cmd = db.Prepared(conn, tx, "INSERT INTO staff_examples(text, intent, created_by, created_at) VALUES ($text, $intent, $staff, $at)");
                cmd.Parameters.AddWithValue("$text", text);
                cmd.Parameters.AddWithValue("$intent", intent);
                cmd.Parameters.AddWithValue("$staff", staff);
                cmd.Parameters.AddWithValue("$at", Iso(at));
                cmd.ExecuteNonQuery();
            }
        }, cancellationToken);

    /// <summary>Labelled examples staff assigned from the misunderstood inbox (synchronous: used while the NLU engine loads).</summary>
    public IReadOnlyList<(string Text, string Intent)> ReadExamples()
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT text, intent FROM staff_examples ORDER BY id";
        var list = new List<(string, string)>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add((r.GetString(0), r.GetString(1)));
        }

        return list;
    }

    /// <summary>Open low-confidence and "not helpful" escalations nobody claimed: the "misunderstood" inbox.</summary>
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
