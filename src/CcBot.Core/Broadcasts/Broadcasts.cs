using System.Globalization;
using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Outbox;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Text;

namespace CcBot.Core.Broadcasts;

/// <summary>Who receives a broadcast.</summary>
public enum BroadcastAudience
{
    /// <summary>Every reachable conversation.</summary>
    Everyone,
    /// <summary>Conversations subscribed to reminders of one contest (value: contest id).</summary>
    Contest,
    /// <summary>Users of one unit (value: the unit as stored in their profile).</summary>
    Unit,
    /// <summary>One channel (value: channel id such as telegram, msteams, directline).</summary>
    Channel,
}

public static class BroadcastStatus
{
    public const string Scheduled = "scheduled";
    public const string Cancelled = "cancelled";
}

/// <summary>An organizer's announcement before it is stored.</summary>
public sealed record BroadcastDraft(
    string Text,
    IReadOnlyList<ReplyButton> Links,
    BroadcastAudience Audience,
    string? AudienceValue,
    DateTimeOffset SendAt,
    string? CreatedBy);

public sealed record Broadcast(
    long Id,
    string Text,
    BroadcastAudience Audience,
    string? AudienceValue,
    DateTimeOffset SendAt,
    string Status,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt);

/// <summary>Broadcasts and their recipient rows. A PostgreSQL implementation comes later; the SQL is kept portable.</summary>
public interface IBroadcastStore
{
    /// <summary>Stores the broadcast and one outbox row per recipient in one transaction; returns the id and the recipient count.</summary>
    Task<(long Id, int Recipients)> CreateAsync(BroadcastDraft draft, OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<Broadcast>> ListAsync(int max, CancellationToken cancellationToken);

    Task<Broadcast?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Marks the broadcast cancelled and cancels its rows not yet sent; returns how many rows were cancelled, or null when unknown.</summary>
    Task<int?> CancelAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);
}

public sealed class SqliteBroadcastStore(SqliteDatabase db) : IBroadcastStore
{
    private static readonly JsonSerializerOptions Json = PipelineJson.Options;

    public Task<(long Id, int Recipients)> CreateAsync(BroadcastDraft draft, OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messageJson = JsonSerializer.Serialize(message, Json);
        var filter = draft.Audience switch
        {
            BroadcastAudience.Everyone => "",
            BroadcastAudience.Contest => "AND c.conversation_key IN (SELECT s.conversation_key FROM reminder_subscriptions s WHERE s.contest_id = $value)",
            BroadcastAudience.Unit => """
                AND EXISTS (SELECT 1 FROM users u WHERE u.channel = c.channel AND u.channel_user_id = c.user_id
                            AND u.unreachable_at IS NULL AND u.unit IN (SELECT value FROM json_each($units)))
                """,
            BroadcastAudience.Channel => "AND c.channel = $value",
            _ => throw new ArgumentOutOfRangeException(nameof(draft)),
        };
        return db.WriteAsync((conn, tx) =>
        {
            long id;
            using (var ins = conn.CreateCommand())
            {
                ins.Transaction = tx;
                ins.CommandText = """
                    INSERT INTO broadcasts(text, message, audience, audience_value, send_at, status, created_by, created_at)
                    VALUES ($text, $msg, $aud, $value, $sendAt, 'scheduled', $by, $at) RETURNING id
                    """;
                ins.Parameters.AddWithValue("$text", draft.Text);
                ins.Parameters.AddWithValue("$msg", messageJson);
                ins.Parameters.AddWithValue("$aud", draft.Audience.ToString().ToLowerInvariant());
                ins.Parameters.AddWithValue("$value", (object?)draft.AudienceValue ?? DBNull.Value);
                ins.Parameters.AddWithValue("$sendAt", SqliteOutboxStore.Time(draft.SendAt));
                ins.Parameters.AddWithValue("$by", (object?)draft.CreatedBy ?? DBNull.Value);
                ins.Parameters.AddWithValue("$at", SqliteOutboxStore.Time(now));
                id = (long)ins.ExecuteScalar()!;
            }

            var units = "[]";
            if (draft.Audience == BroadcastAudience.Unit)
            {
                // Units as users typed them: match ignoring case with .NET's folding (SQLite's lower() knows ASCII only, not "Ở"/"ở").
                using var read = conn.CreateCommand();
                read.Transaction = tx;
                read.CommandText = "SELECT DISTINCT unit FROM users WHERE unit IS NOT NULL";
                var matching = new List<string>();
                using (var r = read.ExecuteReader())
                {
                    while (r.Read())
                    {
                        var unit = r.GetString(0);
                        if (string.Equals(unit.Trim(), draft.AudienceValue?.Trim(), StringComparison.OrdinalIgnoreCase))
                        {
                            matching.Add(unit);
                        }
                    }
                }

                units = JsonSerializer.Serialize(matching);
            }

            using var rows = conn.CreateCommand();
            rows.Transaction = tx;
            rows.CommandText = $"""
                INSERT INTO outbox(dedupe_key, source, source_id, channel, conversation_key, reference, message, status, not_before, created_at)
                SELECT 'broadcast:' || $sid || ':' || c.conversation_key, 'broadcast', $sid, c.channel, c.conversation_key, c.reference,
                       $msg, 'pending', $nb, $at
                FROM conversations c
                WHERE c.unreachable_at IS NULL {filter}
                ORDER BY c.conversation_key
                ON CONFLICT(dedupe_key) DO NOTHING
                """;
            rows.Parameters.AddWithValue("$sid", id.ToString(CultureInfo.InvariantCulture));
            rows.Parameters.AddWithValue("$msg", messageJson);
            rows.Parameters.AddWithValue("$nb", SqliteOutboxStore.Time(draft.SendAt));
            rows.Parameters.AddWithValue("$at", SqliteOutboxStore.Time(now));
            rows.Parameters.AddWithValue("$value", (object?)draft.AudienceValue ?? DBNull.Value);
            rows.Parameters.AddWithValue("$units", units);
            var count = rows.ExecuteNonQuery();
            return (id, count);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Broadcast>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"{Select} ORDER BY id DESC LIMIT $max";
        cmd.Parameters.AddWithValue("$max", max);
        return await ReadAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Broadcast?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"{Select} WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return (await ReadAsync(cmd, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public Task<int?> CancelAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync<int?>((conn, tx) =>
        {
            using var b = conn.CreateCommand();
            b.Transaction = tx;
            b.CommandText = "UPDATE broadcasts SET status = 'cancelled', cancelled_at = COALESCE(cancelled_at, $at) WHERE id = $id";
            b.Parameters.AddWithValue("$id", id);
            b.Parameters.AddWithValue("$at", SqliteOutboxStore.Time(now));
            if (b.ExecuteNonQuery() == 0)
            {
                return null;
            }

            using var o = conn.CreateCommand();
            o.Transaction = tx;
            o.CommandText = "UPDATE outbox SET status = 'cancelled', claimed_until = NULL WHERE source = 'broadcast' AND source_id = $sid AND status = 'pending'";
            o.Parameters.AddWithValue("$sid", id.ToString(CultureInfo.InvariantCulture));
            return o.ExecuteNonQuery();
        }, cancellationToken);

    private const string Select = "SELECT id, text, audience, audience_value, send_at, status, created_by, created_at, cancelled_at FROM broadcasts";

    private static async Task<IReadOnlyList<Broadcast>> ReadAsync(Microsoft.Data.Sqlite.SqliteCommand cmd, CancellationToken ct)
    {
        var list = new List<Broadcast>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new Broadcast(
                r.GetInt64(0), r.GetString(1), Enum.Parse<BroadcastAudience>(r.GetString(2), ignoreCase: true),
                r.IsDBNull(3) ? null : r.GetString(3), SqliteOutboxStore.ParseTime(r.GetString(4)), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), SqliteOutboxStore.ParseTime(r.GetString(7)),
                r.IsDBNull(8) ? null : SqliteOutboxStore.ParseTime(r.GetString(8))));
        }

        return list;
    }
}

/// <summary>Creates, lists, reports and cancels broadcasts (the CLI and, later, the console page use this service).</summary>
public sealed class BroadcastService(IBroadcastStore store, IOutboxStore outbox, OutboxSignal signal, ITextCatalog texts, TimeProvider clock)
{
    public const int MaxTextLength = 3500;

    /// <summary>Validation problems of a draft, in English for the organizer's console; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(BroadcastDraft draft)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(draft.Text))
        {
            errors.Add("The text is empty.");
        }
        else if (draft.Text.Length > MaxTextLength)
        {
            errors.Add($"The text is longer than {MaxTextLength} characters.");
        }

        if (draft.Audience != BroadcastAudience.Everyone && string.IsNullOrWhiteSpace(draft.AudienceValue))
        {
            errors.Add($"Audience '{draft.Audience.ToString().ToLowerInvariant()}' needs a value (contest id, unit or channel).");
        }

        foreach (var link in draft.Links)
        {
            if (string.IsNullOrWhiteSpace(link.Title) || !Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"Link '{link.Title}' needs a title and an absolute http(s) URL.");
            }
        }

        return errors;
    }

    public async Task<(long Id, int Recipients)> CreateAsync(BroadcastDraft draft, CancellationToken cancellationToken)
    {
        var errors = Validate(draft);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(draft));
        }

        var message = new OutboundMessage
        {
            Text = texts.Get("broadcasts.message", ("text", draft.Text.Trim())),
            Buttons = [.. draft.Links.Select(l => ReplyButton.Link(l.Title, l.Url!))],
        };
        var created = await store.CreateAsync(draft, message, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        signal.Notify();
        return created;
    }

    public Task<IReadOnlyList<Broadcast>> ListAsync(int max, CancellationToken cancellationToken) => store.ListAsync(max, cancellationToken);

    public async Task<(Broadcast Broadcast, OutboxReport Report)?> StatusAsync(long id, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } b)
        {
            return null;
        }

        var report = await outbox.ReportAsync(OutboxWorker.BroadcastSource, id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return (b, report);
    }

    public Task<int?> CancelAsync(long id, CancellationToken cancellationToken) => store.CancelAsync(id, clock.GetUtcNow(), cancellationToken);
}
