using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Core.Reminders;

/// <summary>Reminder subscriptions and schedule fingerprints on PostgreSQL; every write is one statement (safe for several instances).</summary>
public sealed class PostgresReminderStore(PostgresDatabase db) : IReminderStore
{
    private static readonly JsonSerializerOptions Json = PipelineJson.Options;

    public async Task<bool> SubscribeAsync(string contestId, string conversationKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO reminder_subscriptions(contest_id, conversation_key, created_at) VALUES (@c, @k, @at) ON CONFLICT DO NOTHING", conn);
        cmd.Parameters.AddWithValue("c", contestId);
        cmd.Parameters.AddWithValue("k", conversationKey);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<string>> UnsubscribeAsync(string? contestId, string conversationKey, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(contestId is null
            ? "DELETE FROM reminder_subscriptions WHERE conversation_key = @k RETURNING contest_id"
            : "DELETE FROM reminder_subscriptions WHERE conversation_key = @k AND contest_id = @c RETURNING contest_id", conn);
        cmd.Parameters.AddWithValue("k", conversationKey);
        if (contestId is not null)
        {
            cmd.Parameters.AddWithValue("c", contestId);
        }

        return await ReadStringsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> SubscriptionsAsync(string conversationKey, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT contest_id FROM reminder_subscriptions WHERE conversation_key = @k ORDER BY contest_id COLLATE \"C\"", conn);
        cmd.Parameters.AddWithValue("k", conversationKey);
        return await ReadStringsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConversationReference>> SubscribersAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            SELECT c.reference FROM reminder_subscriptions s JOIN conversations c ON c.conversation_key = s.conversation_key
            WHERE s.contest_id = @c AND c.unreachable_at IS NULL ORDER BY s.conversation_key COLLATE "C"
            """, conn);
        cmd.Parameters.AddWithValue("c", contestId);
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
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT contest_id, fingerprint FROM reminder_schedules", conn);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            map[r.GetString(0)] = r.GetString(1);
        }

        return map;
    }

    public async Task SetFingerprintAsync(string contestId, string? fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(fingerprint is null
            ? "DELETE FROM reminder_schedules WHERE contest_id = @c"
            : """
              INSERT INTO reminder_schedules(contest_id, fingerprint, scheduled_at) VALUES (@c, @f, @at)
              ON CONFLICT (contest_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, scheduled_at = EXCLUDED.scheduled_at
              """, conn);
        cmd.Parameters.AddWithValue("c", contestId);
        if (fingerprint is not null)
        {
            cmd.Parameters.AddWithValue("f", fingerprint);
            cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(r.GetString(0));
        }

        return list;
    }
}
