using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary><c>broadcast create|list|status|cancel</c> (not built yet).</summary>
internal static class BroadcastCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        _ = context;
        return [];
    }
}
