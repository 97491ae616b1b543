using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary><c>teams ...</c> verbs (not built yet).</summary>
internal static class TeamsCommands
{
    public static IEnumerable<Command> Create(TextWriter output)
    {
        _ = output;
        return [];
    }
}
