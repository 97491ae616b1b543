using System.CommandLine;

namespace CcBot.Host.Cli;

/// <summary>The command-line verbs: <c>dotnet run --project src/CcBot.Host -- VERB ...</c>.</summary>
public static class CliRoot
{
    private static readonly string[] Verbs = ["chat", "contests", "nlu", "telegram", "teams", "help", "--help", "-h", "-?", "--version"];

    public static bool IsVerb(string arg) => Verbs.Contains(arg, StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextReader? input = null, TextWriter? output = null)
    {
        input ??= Console.In;
        output ??= Console.Out;
        var root = new RootCommand("CcBot: trợ lý hỏi đáp cuộc thi CCHC. Without a verb the web host starts (http://localhost:5080).");
        root.Subcommands.Add(ChatCommand.Create(input, output));
        foreach (var command in ExtraCommands.Create(output))
        {
            root.Subcommands.Add(command);
        }

        if (args is ["help", .. var rest])
        {
            args = [.. rest, "--help"];
        }

        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = Console.Error });
    }

    /// <summary>A host without the web server: same configuration, same database, for CLI verbs.</summary>
    public static IHost BuildServices(Action<IServiceCollection>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = HostPaths.ContentRoot(), Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCcBotServices(builder.Configuration, builder.Environment.ContentRootPath);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
