using CcBot.Core.Storage.Postgres;
using Npgsql;

namespace CcBot.Host.StaffConsole;

/// <summary>
/// Staff accounts in the shared PostgreSQL database. Names compare case-insensitively through <c>lower(user_name)</c>
/// (its unique index stands for SQLite's <c>COLLATE NOCASE</c>); lockout counting is one statement, so failed
/// sign-ins on several instances at once all count.
/// </summary>
public sealed class PostgresStaffAccountStore(PostgresDatabase db) : IStaffAccountStore
{
    public async Task<long?> InsertAsync(string userName, string role, string passwordHash, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO staff_users(user_name, role, password_hash, created_at) VALUES (@name, @role, @hash, @at)
            ON CONFLICT DO NOTHING RETURNING id
            """, conn);
        cmd.Parameters.AddWithValue("name", userName);
        cmd.Parameters.AddWithValue("role", role);
        cmd.Parameters.AddWithValue("hash", passwordHash);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id, user_name, role, disabled, locked_until, created_at FROM staff_users ORDER BY lower(user_name), user_name", conn);
        var list = new List<StaffAccount>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StaffAccount(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetBoolean(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5)));
        }

        return list;
    }

    public async Task<StaffCredentials?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            "SELECT id, user_name, role, password_hash, failed_count, locked_until, disabled, created_at FROM staff_users WHERE lower(user_name) = lower(@name)", conn);
        cmd.Parameters.AddWithValue("name", userName);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var account = new StaffAccount(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetBoolean(6),
            r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(7));
        return new StaffCredentials(account, r.GetString(3), r.GetInt32(4));
    }

    public async Task RecordSignInAsync(long id, bool success, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(success
            ? "UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE id = @id"
            : """
              UPDATE staff_users SET failed_count = CASE WHEN failed_count + 1 >= @max THEN 0 ELSE failed_count + 1 END,
                  locked_until = CASE WHEN failed_count + 1 >= @max THEN @until ELSE NULL END
              WHERE id = @id
              """, conn);
        cmd.Parameters.AddWithValue("id", id);
        if (!success)
        {
            cmd.Parameters.AddWithValue("max", maxFailures);
            cmd.Parameters.AddWithValue("until", lockUntil.ToUniversalTime());
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UnlockAsync(string userName, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE lower(user_name) = lower(@name)", conn);
        cmd.Parameters.AddWithValue("name", userName);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
