using CcBot.Host;
using CcBot.Host.Cli;

// `dotnet run --project src/CcBot.Host` runs the bot; `... -- VERB` runs a command-line verb on the same configuration and database.
return args.Length > 0 && CliRoot.IsVerb(args[0])
    ? await CliRoot.RunAsync(args)
    : await BotHost.RunAsync(args);
