using System.Text.Json;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using Microsoft.Data.Sqlite;

namespace CcBot.Host.Tests.Broadcasts;

internal static class BroadcastTestSupport
{
    /// <summary>Inserts Telegram private chats <paramref name="firstChat"/>.. as known conversations (as if each had sent /start).</summary>
    public static void InsertTelegramRecipients(string databasePath, long firstChat, int count) => InsertRecipients(databasePath, "telegram", firstChat, count);

    /// <summary>Inserts users <paramref name="first"/>.. of <paramref name="channel"/> as known conversations.</summary>
    public static void InsertRecipients(string databasePath, string channel, long first, int count)
    {
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 30 }.ToString());
        conn.Open();
        using var tx = conn.BeginTransaction();
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, created_at, updated_at)
            VALUES ($key, $channel, $id, $id, $ref, '2024-12-01T00:00:00Z', '2024-12-01T00:00:00Z');
            INSERT INTO users(channel, channel_user_id, display_name, created_at) VALUES ($channel, $id, 'Người dùng', '2024-12-01T00:00:00Z');
            """;
        cmd.Parameters.AddWithValue("$channel", channel);
        var key = cmd.Parameters.Add("$key", SqliteType.Text);
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        var reference = cmd.Parameters.Add("$ref", SqliteType.Text);
        for (var i = 0; i < count; i++)
        {
            var chat = (first + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var r = new ConversationReference(channel, chat, chat, "Người dùng");
            key.Value = r.ConversationKey;
            id.Value = chat;
            reference.Value = JsonSerializer.Serialize(r, PipelineJson.Options);
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
    }
}
