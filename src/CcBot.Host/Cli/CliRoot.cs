using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary>The command-line verbs: <c>dotnet run --project src/CcBot.Host -- VERB ...</c>.</summary>
public static class CliRoot
{
    private static readonly string[] Verbs = ["chat", "contests", "nlu", "telegram", "teams", "quiz", "reports", "broadcast", "entries", "vote", "users", "db", "help", "--help", "-h", "-?", "--version"];

    public static bool IsVerb(string arg) => Verbs.Contains(arg, StringComparer.Ordinal);

    /// <summary>
    /// True when the first argument is meant for the web host: none, an option (<c>--urls ...</c>) or a configuration
    /// value (<c>Storage:Provider=postgres</c>). Any other first word that is not a verb is a mistyped verb.
    /// </summary>
    public static bool StartsHost(string[] args) =>
        args.Length == 0 || args[0].StartsWith('-') || args[0].StartsWith('/') || args[0].Contains('=', StringComparison.Ordinal);

    /// <summary>The entry point: a verb runs, host arguments start the host, an unknown word is an error (exit code 2).</summary>
    public static async Task<int> MainAsync(string[] args, Func<string[], Task<int>> runHost, TextWriter? error = null)
    {
        if (args.Length > 0 && IsVerb(args[0]))
        {
            return await RunAsync(args);
        }

        if (StartsHost(args))
        {
            return await runHost(args);
        }

        error ??= Console.Error;
        var closest = ClosestVerb(args[0]);
        await error.WriteLineAsync(closest is null
            ? $"Unknown verb '{args[0]}'. Run 'help' for the list of verbs."
            : $"Unknown verb '{args[0]}'. Did you mean '{closest}'? Run 'help' for the list of verbs.");
        return 2;
    }

    /// <summary>The verb nearest to <paramref name="word"/> by edit distance, or null when none is near (more than half the word differs).</summary>
    public static string? ClosestVerb(string word)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var verb in Verbs.Where(v => !v.StartsWith('-')))
        {
            var d = EditDistance(word.ToLowerInvariant(), verb);
            if (d < bestDistance)
            {
                (best, bestDistance) = (verb, d);
            }
        }

        return bestDistance <= Math.Max(2, word.Length / 2) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <param name="overrides">Configuration that wins over appsettings and the environment (tests point it at their own database).</param>
    /// <param name="terminal">Keys of an interactive terminal (tests give their own); by default the console's, when input is not redirected.</param>
    public static async Task<int> RunAsync(string[] args, TextReader? input = null, TextWriter? output = null, IReadOnlyDictionary<string, string?>? overrides = null,
        IKeySource? terminal = null)
    {
        // The real terminal (keys read without echo) only when the verb reads the process's own, unredirected input.
        terminal ??= input is null && !Console.IsInputRedirected ? new ConsoleKeys() : null;
        var context = new CliContext(input ?? Console.In, output ?? Console.Out, overrides ?? new Dictionary<string, string?>(), terminal);
        var root = new RootCommand("CcBot: trợ lý hỏi đáp cuộc thi CCHC. Without a verb the web host starts (http://localhost:5080).");
        root.Subcommands.Add(ChatCommand.Create(context));
        foreach (var command in ExtraCommands.Create(context))
        {
            root.Subcommands.Add(command);
        }

        if (args is ["help", .. var rest])
        {
            args = [.. rest, "--help"];
        }

        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = Console.Error });
    }

    /// <summary>A host without the web server: same configuration, same database, for CLI verbs.</summary>
    public static IHost BuildServices(CliContext context, Action<IServiceCollection>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = HostPaths.ContentRoot(), Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        builder.Configuration.AddInMemoryCollection(context.Overrides);
        builder.Services.AddCcBotServices(builder.Configuration, builder.Environment.ContentRootPath);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}

/// <summary>What every verb gets: its streams, configuration overrides, and the terminal's keys when input is a terminal.</summary>
public sealed record CliContext(TextReader Input, TextWriter Output, IReadOnlyDictionary<string, string?> Overrides, IKeySource? Terminal = null);
