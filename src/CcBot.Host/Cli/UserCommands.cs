using System.CommandLine;
using CcBot.Host.StaffConsole;

namespace CcBot.Host.Cli;

/// <summary>
/// <c>users add|list</c>: staff accounts of the console. The password is typed at the terminal without echo (twice), or
/// read from the first line of standard input with <c>--password-stdin</c>; never from the command line, never defaulted:
/// <c>echo "$PW" | ccbot users add alice --role admin --password-stdin</c>.
/// </summary>
internal static class UserCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Login name." };
        var role = new Option<string>("--role") { Description = "admin | organizer | helpdesk.", Required = true };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (for scripts)." };
        // Declared only to refuse it with a clear message: a password on the command line is seen in `ps` and the shell history.
        var argument = new Option<string?>("--password") { Hidden = true };
        var add = new Command("add", "Create a staff account; the password is typed at the terminal without echo, or piped with --password-stdin.") { name, role, stdin, argument };
        add.SetAction((parse, ct) => parse.GetValue(argument) is not null
            ? RefusePasswordArgumentAsync()
            : AddAsync(context, parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(stdin), ct));

        var list = new Command("list", "List staff accounts and their roles.");
        list.SetAction((_, ct) => ListAsync(context, ct));

        return [new Command("users", "Staff accounts of the web console (/console).") { add, list }];
    }

    private static async Task<int> RefusePasswordArgumentAsync()
    {
        await Console.Error.WriteLineAsync("A password is never taken as an argument (it would show in the process list and the shell history). " +
            "Type it at the prompt, or pipe it: echo \"$PW\" | ccbot users add NAME --role ROLE --password-stdin. No account was created.");
        return 2;
    }

    private static async Task<int> AddAsync(CliContext context, string name, string role, bool fromStdin, CancellationToken ct)
    {
        if (!StaffRoles.IsKnown(role))
        {
            await Console.Error.WriteLineAsync($"Unknown role '{role}': use admin, organizer or helpdesk.");
            return 2;
        }

        string? password;
        if (fromStdin)
        {
            password = (await context.Input.ReadLineAsync(ct))?.TrimEnd('\r', '\n');
        }
        else if (context.Terminal is { } terminal)
        {
            password = SecretPrompt.Read(terminal, context.Output, "Password: ");
            if (!string.IsNullOrEmpty(password) && SecretPrompt.Read(terminal, context.Output, "Password again: ") != password)
            {
                await Console.Error.WriteLineAsync("The two passwords differ; no account was created.");
                return 2;
            }
        }
        else
        {
            await Console.Error.WriteLineAsync("Standard input is not a terminal: to pipe the password, add --password-stdin. No account was created.");
            return 2;
        }

        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync("No password given; no account was created.");
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
