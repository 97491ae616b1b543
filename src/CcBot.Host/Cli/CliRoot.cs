using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary>The command-line verbs: <c>dotnet run --project src/CcBot.Host -- VERB ...</c>.</summary>
public static class CliRoot
{
    private static readonly string[] Verbs = ["chat", "contests", "nlu", "telegram", "teams", "quiz", "reports", "broadcast", "entries", "vote", "users", "db", "help", "--help", "-h", "-?", "--version"];

    public static bool IsVerb(string arg) => Verbs.Contains(arg, StringComparer.Ordinal);

    /// <param name="overrides">Configuration that wins over appsettings and the environment (tests point it at their own database).</param>
    public static async Task<int> RunAsync(string[] args, TextReader? input = null, TextWriter? output = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var context = new CliContext(input ?? Console.In, output ?? Console.Out, overrides ?? new Dictionary<string, string?>());
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

/// <summary>What every verb gets: its streams and configuration overrides.</summary>
public sealed record CliContext(TextReader Input, TextWriter Output, IReadOnlyDictionary<string, string?> Overrides);
