using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary><c>users add|list|...</c> verbs for staff accounts of the console (not built yet).</summary>
internal static class UserCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        _ = context;
        return [];
    }
}
