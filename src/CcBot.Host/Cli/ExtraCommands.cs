using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary>Verbs contributed by the slices.</summary>
internal static class ExtraCommands
{
    public static IEnumerable<Command> Create(CliContext context) =>
    [
        .. ContestNluCommands.Create(context),
        .. TelegramCommands.Create(context),
        .. ZaloCommands.Create(context),
        .. TeamsCommands.Create(context),
        .. QuizCommands.Create(context),
        .. BroadcastCommands.Create(context),
        .. EntryCommands.Create(context),
        .. UserCommands.Create(context),
        .. PrivacyCommands.Create(context),
        .. Database.DbCommands.Create(context),
    ];
}
