using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Outbox;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;

namespace CcBot.Core.Reminders;

/// <summary>Reminder subscriptions and the fingerprint of each contest's scheduled reminders.</summary>
public interface IReminderStore
{
    /// <summary>True when the subscription is new.</summary>
    Task<bool> SubscribeAsync(string contestId, string conversationKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes one contest's subscription, or all of the conversation's when <paramref name="contestId"/> is null; returns the contest ids removed.</summary>
    Task<IReadOnlyList<string>> UnsubscribeAsync(string? contestId, string conversationKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> SubscriptionsAsync(string conversationKey, CancellationToken cancellationToken);

    /// <summary>References of the contest's subscribers whose conversation is still reachable.</summary>
    Task<IReadOnlyList<ConversationReference>> SubscribersAsync(string contestId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> FingerprintsAsync(CancellationToken cancellationToken);

    Task SetFingerprintAsync(string contestId, string? fingerprint, DateTimeOffset now, CancellationToken cancellationToken);
}

public sealed class SqliteReminderStore(SqliteDatabase db) : IReminderStore
{
    private static readonly JsonSerializerOptions Json = PipelineJson.Options;

    public Task<bool> SubscribeAsync(string contestId, string conversationKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "INSERT INTO reminder_subscriptions(contest_id, conversation_key, created_at) VALUES ($c, $k, $at) ON CONFLICT DO NOTHING");
            cmd.Parameters.AddWithValue("$c", contestId);
            cmd.Parameters.AddWithValue("$k", conversationKey);
            cmd.Parameters.AddWithValue("$at", SqliteOutboxStore.Time(now));
            return cmd.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> UnsubscribeAsync(string? contestId, string conversationKey, CancellationToken cancellationToken) =>
        db.WriteAsync<IReadOnlyList<string>>((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, contestId is null
                ? "DELETE FROM reminder_subscriptions WHERE conversation_key = $k RETURNING contest_id"
                : "DELETE FROM reminder_subscriptions WHERE conversation_key = $k AND contest_id = $c RETURNING contest_id");
            cmd.Parameters.AddWithValue("$k", conversationKey);
            if (contestId is not null)
            {
                cmd.Parameters.AddWithValue("$c", contestId);
            }

            var removed = new List<string>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                removed.Add(r.GetString(0));
            }

            return removed;
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> SubscriptionsAsync(string conversationKey, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT contest_id FROM reminder_subscriptions WHERE conversation_key = $k ORDER BY contest_id";
        cmd.Parameters.AddWithValue("$k", conversationKey);
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    public async Task<IReadOnlyList<ConversationReference>> SubscribersAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT c.reference FROM reminder_subscriptions s JOIN conversations c ON c.conversation_key = s.conversation_key
            WHERE s.contest_id = $c AND c.unreachable_at IS NULL ORDER BY s.conversation_key
            """;
        cmd.Parameters.AddWithValue("$c", contestId);
        var list = new List<ConversationReference>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(JsonSerializer.Deserialize<ConversationReference>(r.GetString(0), Json)!);
        }

        return list;
    }

    public async Task<IReadOnlyDictionary<string, string>> FingerprintsAsync(CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT contest_id, fingerprint FROM reminder_schedules";
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            map[r.GetString(0)] = r.GetString(1);
        }

        return map;
    }

    public Task SetFingerprintAsync(string contestId, string? fingerprint, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, fingerprint is null
                ? "DELETE FROM reminder_schedules WHERE contest_id = $c"
                : """
                  INSERT INTO reminder_schedules(contest_id, fingerprint, scheduled_at) VALUES ($c, $f, $at)
                  ON CONFLICT(contest_id) DO UPDATE SET fingerprint = excluded.fingerprint, scheduled_at = excluded.scheduled_at
                  """);
            cmd.Parameters.AddWithValue("$c", contestId);
            if (fingerprint is not null)
            {
                cmd.Parameters.AddWithValue("$f", fingerprint);
                cmd.Parameters.AddWithValue("$at", SqliteOutboxStore.Time(now));
            }

            cmd.ExecuteNonQuery();
        }, cancellationToken);
}
