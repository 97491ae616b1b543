using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary><c>entries list|export</c> and <c>vote ...</c> verbs (not built yet).</summary>
internal static class EntryCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        _ = context;
        return [];
    }
}
