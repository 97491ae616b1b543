using System.Globalization;
using CcBot.Core.Storage;

namespace CcBot.Host.StaffConsole;

/// <summary>Staff accounts in SQLite (<c>user_name</c> is <c>COLLATE NOCASE</c>).</summary>
public sealed class SqliteStaffAccountStore(SqliteDatabase db) : IStaffAccountStore
{
    public async Task<long?> InsertAsync(string userName, string role, string passwordHash, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var id = await db.WriteAsync((conn, tx) =>
        {
            var exists = db.Prepared(conn, tx, "SELECT COUNT(*) FROM staff_users WHERE user_name = $name");
            exists.Parameters.AddWithValue("$name", userName);
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
            {
                return -1L;
            }

            var cmd = db.Prepared(conn, tx, "INSERT INTO staff_users(user_name, role, password_hash, created_at) VALUES ($name, $role, $hash, $at) RETURNING id");
            cmd.Parameters.AddWithValue("$name", userName);
            cmd.Parameters.AddWithValue("$role", role);
            cmd.Parameters.AddWithValue("$hash", passwordHash);
            cmd.Parameters.AddWithValue("$at", Iso(at));
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
        return id < 0 ? null : id;
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT id, user_name, role, disabled, locked_until, created_at FROM staff_users ORDER BY user_name";
        var list = new List<StaffAccount>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StaffAccount(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3) != 0, r.IsDBNull(4) ? null : Parse(r.GetString(4)), Parse(r.GetString(5))));
        }

        return list;
    }

    public async Task<StaffCredentials?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        await using var conn = db.OpenConnection();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT id, user_name, role, password_hash, failed_count, locked_until, disabled, created_at FROM staff_users WHERE user_name = $name";
        cmd.Parameters.AddWithValue("$name", userName);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var account = new StaffAccount(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(6) != 0, r.IsDBNull(5) ? null : Parse(r.GetString(5)), Parse(r.GetString(7)));
        return new StaffCredentials(account, r.GetString(3), r.GetInt32(4));
    }

    public Task RecordSignInAsync(long id, bool success, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, success
                ? "UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE id = $id"
                : """
                  UPDATE staff_users SET failed_count = CASE WHEN failed_count + 1 >= $max THEN 0 ELSE failed_count + 1 END,
                      locked_until = CASE WHEN failed_count + 1 >= $max THEN $until ELSE NULL END
                  WHERE id = $id
                  """);
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$max", maxFailures);
            cmd.Parameters.AddWithValue("$until", Iso(lockUntil));
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task<bool> UnlockAsync(string userName, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE user_name = $name");
            cmd.Parameters.AddWithValue("$name", userName);
            return cmd.ExecuteNonQuery() > 0;
        }, cancellationToken);

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
