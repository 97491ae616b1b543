using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary>Verbs contributed by the slices (contests, nlu, ...).</summary>
internal static class ExtraCommands
{
    public static IEnumerable<Command> Create(TextWriter output)
    {
        _ = output;
        return [];
    }
}
