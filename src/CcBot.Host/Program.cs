using CcBot.Host;
using CcBot.Host.Cli;

// `dotnet run --project src/CcBot.Host` runs the bot; `... -- VERB` runs a command-line verb on the same configuration and database;
// an unknown first word is a mistyped verb (exit code 2), never a reason to start the web host.
return await CliRoot.MainAsync(args, BotHost.RunAsync);
