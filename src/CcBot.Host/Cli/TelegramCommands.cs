using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary><c>telegram ...</c> verbs (not built yet).</summary>
internal static class TelegramCommands
{
    public static IEnumerable<Command> Create(TextWriter output)
    {
        _ = output;
        return [];
    }
}
