using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.HelpDesk;

/// <summary>
/// Tickets, the audit log and staff knowledge in the shared PostgreSQL database. Several instances claim and resolve
/// tickets, so nothing is cached: whether a conversation is claimed is one indexed query per turn, which sees a claim
/// made on any instance as soon as it commits.
/// </summary>
public sealed class PostgresHelpDeskStore(PostgresDatabase db) : IHelpDeskStore
{
    private const string TicketColumns = """
        id, conversation_key, channel, user_id, inbound_seq, reason, text, intent, confidence, contest_id, status, created_at,
        claimed_by, claimed_at, resolved_by, resolved_at
        """;

    private const string FaqSql = "SELECT id, question, answer, intent, contest_id, created_by, created_at FROM staff_faq ORDER BY id";

    public async ValueTask<bool> IsClaimedAsync(string conversationKey, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            "SELECT EXISTS(SELECT 1 FROM escalations WHERE conversation_key = @key AND status = 'open' AND claimed_by IS NOT NULL)", conn);
        cmd.Parameters.AddWithValue("key", conversationKey);
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<Ticket>> ListAsync(bool open, int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(open
            ? $"SELECT {TicketColumns} FROM escalations WHERE status = 'open' ORDER BY created_at, id LIMIT @max"
            : $"SELECT {TicketColumns} FROM escalations WHERE status <> 'open' ORDER BY resolved_at DESC NULLS LAST, id DESC LIMIT @max", conn);
        cmd.Parameters.AddWithValue("max", max);
        return await ReadTicketsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Ticket?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {TicketColumns} FROM escalations WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        return (await ReadTicketsAsync(cmd, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<bool> ClaimAsync(long id, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // One statement: two staff members claiming at once on different instances queue on the row lock, and the
        // second re-checks the condition against the first's committed claim.
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            UPDATE escalations SET claimed_by = @staff, claimed_at = @at
            WHERE id = @id AND status = 'open' AND (claimed_by IS NULL OR claimed_by = @staff)
            """, conn);
        cmd.Parameters.AddWithValue("staff", staff);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> ResolveAsync(long id, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            UPDATE escalations SET status = 'resolved', resolved_by = @staff, resolved_at = @at
            WHERE id = @id AND status = 'open'
            """, conn);
        cmd.Parameters.AddWithValue("staff", staff);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task AuditAsync(string staff, string action, string? target, string? detail, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("INSERT INTO audit_log(at, staff_user, action, target, detail) VALUES (@at, @staff, @action, @target, @detail)", conn);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        cmd.Parameters.AddWithValue("staff", staff);
        cmd.Parameters.AddWithValue("action", action);
        cmd.Parameters.AddWithValue("target", (object?)target ?? DBNull.Value);
        cmd.Parameters.AddWithValue("detail", (object?)detail ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT at, staff_user, action, target, detail FROM audit_log ORDER BY id DESC LIMIT @max", conn);
        cmd.Parameters.AddWithValue("max", max);
        var list = new List<AuditEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AuditEntry(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
        }

        return list;
    }

    public async Task<StaffFaqEntry> AddFaqAsync(string question, string answer, string? intent, string? contestId, long? escalationId, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO staff_faq(question, answer, intent, contest_id, escalation_id, created_by, created_at)
            VALUES (@q, @a, @intent, @contest, @esc, @staff, @at) RETURNING id
            """, conn);
        cmd.Parameters.AddWithValue("q", question);
        cmd.Parameters.AddWithValue("a", answer);
        cmd.Parameters.AddWithValue("intent", (object?)intent ?? DBNull.Value);
        cmd.Parameters.AddWithValue("contest", (object?)contestId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("esc", (object?)escalationId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("staff", staff);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        var id = (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new StaffFaqEntry(id, question, answer, intent, contestId, staff, at);
    }

    public IReadOnlyList<StaffFaqEntry> ReadFaq()
    {
        using var conn = db.DataSource.OpenConnection();
        using var cmd = new NpgsqlCommand(FaqSql, conn);
        using var r = cmd.ExecuteReader();
        var list = new List<StaffFaqEntry>();
        while (r.Read())
        {
            list.Add(new StaffFaqEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), r.GetFieldValue<DateTimeOffset>(6)));
        }

        return list;
    }

    public async Task<IReadOnlyList<StaffExample>> AddExamplesAsync(IReadOnlyList<string> texts, string intent, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        // One statement, so the examples are stored together or not at all.
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO staff_examples(text, intent, created_by, created_at)
            SELECT t, @intent, @staff, @at FROM unnest(@texts) WITH ORDINALITY AS x(t, n) ORDER BY n
            RETURNING id, text
            """, conn);
        cmd.Parameters.AddWithValue("texts", texts.ToArray());
        cmd.Parameters.AddWithValue("intent", intent);
        cmd.Parameters.AddWithValue("staff", staff);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        var list = new List<StaffExample>(texts.Count);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StaffExample(r.GetInt64(0), r.GetString(1), intent));
        }

        return [.. list.OrderBy(e => e.Id)];
    }

    public IReadOnlyList<StaffExample> ReadExamples()
    {
        using var conn = db.DataSource.OpenConnection();
        using var cmd = new NpgsqlCommand("SELECT id, text, intent FROM staff_examples ORDER BY id", conn);
        using var r = cmd.ExecuteReader();
        var list = new List<StaffExample>();
        while (r.Read())
        {
            list.Add(new StaffExample(r.GetInt64(0), r.GetString(1), r.GetString(2)));
        }

        return list;
    }

    public async Task<(long Faq, long Examples)> CountKnowledgeAsync(CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT (SELECT count(*) FROM staff_faq), (SELECT count(*) FROM staff_examples)", conn);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (r.GetInt64(0), r.GetInt64(1));
    }

    public async Task<IReadOnlyList<Ticket>> ListMisunderstoodAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            $"SELECT {TicketColumns} FROM escalations WHERE status = 'open' AND reason IN ('low_confidence', 'unhelpful') AND claimed_by IS NULL ORDER BY created_at DESC LIMIT @max", conn);
        cmd.Parameters.AddWithValue("max", max);
        return await ReadTicketsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<Ticket>> ReadTicketsAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<Ticket>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Ticket(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetDouble(8),
                r.IsDBNull(9) ? null : r.GetString(9), r.GetString(10), r.GetFieldValue<DateTimeOffset>(11),
                r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13),
                r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15)));
        }

        return list;
    }
}
