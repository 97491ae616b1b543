namespace CcBot.Core.Storage;

/// <summary>Small named values shared by every process on the database (e.g. a generated signing key).</summary>
public interface ISettingsStore
{
    /// <summary>The stored value, or <paramref name="create"/>'s value stored now (the first writer wins).</summary>
    Task<string> GetOrCreateAsync(string key, Func<string> create, CancellationToken cancellationToken);
}

public sealed class SqliteSettingsStore(SqliteDatabase db) : ISettingsStore
{
    public Task<string> GetOrCreateAsync(string key, Func<string> create, CancellationToken cancellationToken)
    {
        var candidate = create();
        return db.WriteAsync((conn, tx) =>
        {
            using var ins = SqliteConversationStore.Cmd(conn, tx, "INSERT OR IGNORE INTO settings(key, value) VALUES ($k, $v)");
            ins.Parameters.AddWithValue("$k", key);
            ins.Parameters.AddWithValue("$v", candidate);
            ins.ExecuteNonQuery();
            using var sel = SqliteConversationStore.Cmd(conn, tx, "SELECT value FROM settings WHERE key = $k");
            sel.Parameters.AddWithValue("$k", key);
            return (string)sel.ExecuteScalar()!;
        }, cancellationToken);
    }
}
