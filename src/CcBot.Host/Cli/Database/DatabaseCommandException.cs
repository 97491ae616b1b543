namespace CcBot.Host.Cli.Database;

/// <summary>An operator error of a <c>db</c> verb: its message says what is wrong and what to do; nothing was changed.</summary>
public sealed class DatabaseCommandException(string message, int exitCode = 2, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>2: a bad argument or a refused operation; 1: the database could not be reached or the copy failed.</summary>
    public int ExitCode => exitCode;
}
