using System.CommandLine;
using CcBot.Host.StaffConsole;

namespace CcBot.Host.Cli;

/// <summary>
/// <c>users add|list</c>: staff accounts of the console. The password is read from the input (first line), never from
/// the command line and never defaulted: <c>echo "$PW" | ccbot users add alice --role admin --password-stdin</c>.
/// </summary>
internal static class UserCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Login name." };
        var role = new Option<string>("--role") { Description = "admin | organizer | helpdesk.", Required = true };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (the default; kept for scripts)." };
        var add = new Command("add", "Create a staff account; the password is read from standard input.") { name, role, stdin };
        add.SetAction((parse, ct) => AddAsync(context, parse.GetValue(name)!, parse.GetValue(role)!, ct));

        var list = new Command("list", "List staff accounts and their roles.");
        list.SetAction((_, ct) => ListAsync(context, ct));

        return [new Command("users", "Staff accounts of the web console (/console).") { add, list }];
    }

    private static async Task<int> AddAsync(CliContext context, string name, string role, CancellationToken ct)
    {
        if (!StaffRoles.IsKnown(role))
        {
            await Console.Error.WriteLineAsync($"Unknown role '{role}': use admin, organizer or helpdesk.");
            return 2;
        }

        if (!System.Console.IsInputRedirected && ReferenceEquals(context.Input, System.Console.In))
        {
            await context.Output.WriteAsync("Password: ");
        }

        var password = (await context.Input.ReadLineAsync(ct))?.TrimEnd('\r', '\n');
        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync("No password given on standard input; no account was created.");
            return 2;
        }

        using var host = CliRoot.BuildServices(context);
        try
        {
            var account = await host.Services.GetRequiredService<StaffAccounts>().AddAsync(name, role, password, ct);
            await host.Services.GetRequiredService<Core.HelpDesk.IHelpDeskStore>().AuditAsync("cli", "user.add", "staff:" + account.UserName, account.Role, host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            await context.Output.WriteLineAsync($"Created {account.UserName} ({account.Role}).");
            return 0;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    }

    private static async Task<int> ListAsync(CliContext context, CancellationToken ct)
    {
        using var host = CliRoot.BuildServices(context);
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var a in await host.Services.GetRequiredService<StaffAccounts>().ListAsync(ct))
        {
            await context.Output.WriteLineAsync($"{a.UserName}\t{a.Role}{(a.LockedUntil is { } until && until > now ? "\tlocked" : string.Empty)}");
        }

        return 0;
    }
}
