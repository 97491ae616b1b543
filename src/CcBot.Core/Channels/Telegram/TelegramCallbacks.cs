using System.Globalization;
using System.Text;
using CcBot.Core.Storage;

namespace CcBot.Core.Channels.Telegram;

/// <summary>Stored button payloads, each with a stable id (the same payload always gets the same id).</summary>
public interface ITelegramCallbackStore
{
    /// <summary>The id of <paramref name="payload"/>, stored now when it is new (safe when several instances store it at once).</summary>
    Task<long> IdOfAsync(string payload, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The payload stored under <paramref name="id"/>; null when there is none.</summary>
    Task<string?> PayloadAsync(long id, CancellationToken cancellationToken);
}

/// <summary>
/// Maps button payloads to <c>callback_data</c>: short payloads travel as they are; payloads over 64 UTF-8 bytes
/// (or starting with the <c>cb:</c> prefix) are stored and travel as <c>cb:&lt;id&gt;</c>.
/// </summary>
public sealed class TelegramCallbacks(ITelegramCallbackStore store, TimeProvider clock)
{
    public const string Prefix = "cb:";
    public const int MaxCallbackBytes = 64;

    public static bool FitsInline(string payload) =>
        !payload.StartsWith(Prefix, StringComparison.Ordinal) && Encoding.UTF8.GetByteCount(payload) <= MaxCallbackBytes;

    /// <summary>The callback_data to send for <paramref name="payload"/>.</summary>
    public async Task<string> EncodeAsync(string payload, CancellationToken cancellationToken)
    {
        if (FitsInline(payload))
        {
            return payload;
        }

        var id = await store.IdOfAsync(payload, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return Prefix + id.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The payload behind <paramref name="callbackData"/>; null when it names a stored payload that does not exist.</summary>
    public async Task<string?> DecodeAsync(string callbackData, CancellationToken cancellationToken)
    {
        if (!callbackData.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return callbackData;
        }

        if (!long.TryParse(callbackData.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        return await store.PayloadAsync(id, cancellationToken).ConfigureAwait(false);
    }
}

public sealed class SqliteTelegramCallbackStore(SqliteDatabase db) : ITelegramCallbackStore
{
    public Task<long> IdOfAsync(string payload, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO telegram_callbacks(payload, created_at) VALUES ($p, $at) ON CONFLICT(payload) DO NOTHING;
                SELECT id FROM telegram_callbacks WHERE payload = $p;
                """;
            cmd.Parameters.AddWithValue("$p", payload);
            cmd.Parameters.AddWithValue("$at", at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            return (long)cmd.ExecuteScalar()!;
        }, cancellationToken);

    public async Task<string?> PayloadAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT payload FROM telegram_callbacks WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
