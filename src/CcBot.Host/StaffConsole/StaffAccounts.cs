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

/// <summary>A stored account with what signing in needs.</summary>
public sealed record StaffCredentials(StaffAccount Account, string PasswordHash, int FailedCount);

/// <summary>Where staff accounts are kept (user names are unique whatever their case).</summary>
public interface IStaffAccountStore
{
    /// <summary>Stores a new account; null when the name is taken.</summary>
    Task<long?> InsertAsync(string userName, string role, string passwordHash, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken cancellationToken);

    Task<StaffCredentials?> FindAsync(string userName, CancellationToken cancellationToken);

    /// <summary>
    /// Records a sign-in attempt in one statement: success clears the failures; a failure counts, and the
    /// <paramref name="maxFailures"/>-th locks the account until <paramref name="lockUntil"/>.
    /// </summary>
    Task RecordSignInAsync(long id, bool success, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>Clears a lockout; false when the account does not exist.</summary>
    Task<bool> UnlockAsync(string userName, CancellationToken cancellationToken);
}

/// <summary>Staff accounts in the database, passwords hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/>. No default account or password exists.</summary>
public sealed class StaffAccounts(IStaffAccountStore store, Microsoft.Extensions.Options.IOptions<StaffConsoleOptions> options, TimeProvider time)
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
        var id = await store.InsertAsync(userName, role, hash, now, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"The account '{userName}' already exists.", nameof(userName));
        return new StaffAccount(id, userName, role, false, null, now);
    }

    public Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>Checks a password; after <see cref="StaffConsoleOptions.LockoutFailures"/> failures the account is locked for a while, even for the right password.</summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await store.FindAsync(userName.Trim(), cancellationToken).ConfigureAwait(false) is not { } u)
        {
            _ = _hasher.HashPassword(userName, password); // similar time for unknown names
            return new SignInResult(SignInStatus.Invalid, null);
        }

        if (u.Account.LockedUntil is { } until && until > now)
        {
            return new SignInResult(SignInStatus.LockedOut, null);
        }

        var verified = !u.Account.Disabled && _hasher.VerifyHashedPassword(u.Account.UserName, u.PasswordHash, password) != PasswordVerificationResult.Failed;
        var o = options.Value;
        await store.RecordSignInAsync(u.Account.Id, verified, o.LockoutFailures, now.AddMinutes(o.LockoutMinutes), cancellationToken).ConfigureAwait(false);
        return verified
            ? new SignInResult(SignInStatus.Success, u.Account with { LockedUntil = null })
            : new SignInResult(u.FailedCount + 1 >= o.LockoutFailures ? SignInStatus.LockedOut : SignInStatus.Invalid, null);
    }

    /// <summary>Clears a lockout (admin action); false when the account does not exist.</summary>
    public Task<bool> UnlockAsync(string userName, CancellationToken cancellationToken) => store.UnlockAsync(userName.Trim(), cancellationToken);
}

public static class StaffAccountServices
{
    public static IServiceCollection AddStaffAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StaffConsoleOptions>().Bind(configuration.GetSection(StaffConsoleOptions.Section))
            .Validate(o => o.LockoutFailures > 0 && o.LockoutMinutes > 0, "Console:LockoutFailures and Console:LockoutMinutes must be positive.");
        services.AddStore<IStaffAccountStore, SqliteStaffAccountStore, PostgresStaffAccountStore>();
        services.AddSingleton<StaffAccounts>();
        return services;
    }
}
