using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary><c>quiz ...</c> and <c>reports ...</c> verbs (not built yet).</summary>
internal static class QuizCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        _ = context;
        return [];
    }
}
