using System.Globalization;
using CcBot.Core.Storage;
using Microsoft.AspNetCore.Identity;

namespace CcBot.Host.StaffConsole;

/// <summary>Console roles: admin (accounts), organizer (contests, banks, broadcasts, reports), helpdesk (escalations).</summary>
public static class StaffRoles
{
    public const string Admin = "admin";
    public const string Organizer = "organizer";
    public const string HelpDesk = "helpdesk";

    public static IReadOnlyList<string> All { get; } = [Admin, Organizer, HelpDesk];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>Bound from <c>Console</c>: lockout after repeated failed sign-ins.</summary>
public sealed class StaffConsoleOptions
{
    public const string Section = "Console";

    public int LockoutFailures { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    public int MinPasswordLength { get; set; } = 10;
}

public sealed record StaffAccount(long Id, string UserName, string Role, bool Disabled, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt);

public enum SignInStatus
{
    Success,
    Invalid,
    LockedOut,
}

public sealed record SignInResult(SignInStatus Status, StaffAccount? Account);

/// <summary>Staff accounts in the database, passwords hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/>. No default account or password exists.</summary>
public sealed class StaffAccounts(SqliteDatabase db, Microsoft.Extensions.Options.IOptions<StaffConsoleOptions> options, TimeProvider time)
{
    private readonly PasswordHasher<string> _hasher = new();

    public async Task<StaffAccount> AddAsync(string userName, string role, string password, CancellationToken cancellationToken)
    {
        userName = userName.Trim();
        if (userName.Length is < 2 or > 64 || !userName.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
        {
            throw new ArgumentException("User name: 2-64 letters, digits, '.', '_', '-', '@'.", nameof(userName));
        }

        if (!StaffRoles.IsKnown(role))
        {
            throw new ArgumentException($"Unknown role '{role}' (admin, organizer, helpdesk).", nameof(role));
        }

        if (password.Length < options.Value.MinPasswordLength)
        {
            throw new ArgumentException($"The password must have at least {options.Value.MinPasswordLength} characters.", nameof(password));
        }

        var hash = _hasher.HashPassword(userName, password);
        var now = time.GetUtcNow();
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
            cmd.Parameters.AddWithValue("$hash", hash);
            cmd.Parameters.AddWithValue("$at", Iso(now));
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
        if (id < 0)
        {
            throw new ArgumentException($"The account '{userName}' already exists.", nameof(userName));
        }

        return new StaffAccount(id, userName, role, false, null, now);
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

    /// <summary>Checks a password; after <see cref="StaffConsoleOptions.LockoutFailures"/> failures the account is locked for a while, even for the right password.</summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        (long Id, string Name, string Role, string Hash, int Failed, DateTimeOffset? LockedUntil, bool Disabled, DateTimeOffset Created)? row = null;
        await using (var conn = db.OpenConnection())
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT id, user_name, role, password_hash, failed_count, locked_until, disabled, created_at FROM staff_users WHERE user_name = $name";
            cmd.Parameters.AddWithValue("$name", userName.Trim());
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row = (r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.IsDBNull(5) ? null : Parse(r.GetString(5)), r.GetInt64(6) != 0, Parse(r.GetString(7)));
            }
        }

        if (row is not { } u)
        {
            _ = _hasher.HashPassword(userName, password); // similar time for unknown names
            return new SignInResult(SignInStatus.Invalid, null);
        }

        if (u.LockedUntil is { } until && until > now)
        {
            return new SignInResult(SignInStatus.LockedOut, null);
        }

        var verified = !u.Disabled && _hasher.VerifyHashedPassword(u.Name, u.Hash, password) != PasswordVerificationResult.Failed;
        var o = options.Value;
        await db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, verified
                ? "UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE id = $id"
                : """
                  UPDATE staff_users SET failed_count = CASE WHEN failed_count + 1 >= $max THEN 0 ELSE failed_count + 1 END,
                      locked_until = CASE WHEN failed_count + 1 >= $max THEN $until ELSE NULL END
                  WHERE id = $id
                  """);
            cmd.Parameters.AddWithValue("$id", u.Id);
            cmd.Parameters.AddWithValue("$max", o.LockoutFailures);
            cmd.Parameters.AddWithValue("$until", Iso(now.AddMinutes(o.LockoutMinutes)));
            cmd.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        return verified
            ? new SignInResult(SignInStatus.Success, new StaffAccount(u.Id, u.Name, u.Role, u.Disabled, null, u.Created))
            : new SignInResult(u.Failed + 1 >= o.LockoutFailures ? SignInStatus.LockedOut : SignInStatus.Invalid, null);
    }

    /// <summary>Clears a lockout (admin action); false when the account does not exist.</summary>
    public Task<bool> UnlockAsync(string userName, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE staff_users SET failed_count = 0, locked_until = NULL WHERE user_name = $name");
            cmd.Parameters.AddWithValue("$name", userName.Trim());
            return cmd.ExecuteNonQuery() > 0;
        }, cancellationToken);

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

public static class StaffAccountServices
{
    public static IServiceCollection AddStaffAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StaffConsoleOptions>().Bind(configuration.GetSection(StaffConsoleOptions.Section))
            .Validate(o => o.LockoutFailures > 0 && o.LockoutMinutes > 0, "Console:LockoutFailures and Console:LockoutMinutes must be positive.");
        services.AddSingleton<StaffAccounts>();
        return services;
    }
}
