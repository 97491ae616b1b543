using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary>Verbs contributed by the slices.</summary>
internal static class ExtraCommands
{
    public static IEnumerable<Command> Create(TextWriter output) =>
    [
        .. ContestNluCommands.Create(output),
        .. TelegramCommands.Create(output),
        .. TeamsCommands.Create(output),
    ];
}
