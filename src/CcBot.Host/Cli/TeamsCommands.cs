using System.CommandLine;
using CcBot.Core.Channels.BotFramework;
using CcBot.Core.Text;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Cli;

/// <summary><c>teams manifest</c>: the Microsoft Teams app package to upload in Teams (Apps → Manage your apps → Upload).</summary>
internal static class TeamsCommands
{
    public static IEnumerable<Command> Create(CliContext context) => [Teams(context)];

    private static Command Teams(CliContext context)
    {
        var output = context.Output;
        var outOption = new Option<string?>("--out") { Description = "Where to write the app package (default ccbot-teams.zip)." };
        var appIdOption = new Option<string?>("--app-id") { Description = "Microsoft App ID of the bot (default BotFramework:AppId from the configuration)." };
        var manifest = new Command("manifest", "Write the Teams app package: manifest.json, color.png (192×192), outline.png (32×32).") { outOption, appIdOption };
        manifest.SetAction(async (parse, ct) =>
        {
            using var host = CliRoot.BuildServices(context);
            var options = host.Services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
            if (parse.GetValue(appIdOption) is { Length: > 0 } appId)
            {
                options.AppId = appId;
            }

            var texts = host.Services.GetRequiredService<ITextCatalog>();
            return await WriteManifestAsync(options, texts, parse.GetValue(outOption), output, Console.Error, ct);
        });

        return new Command("teams", "Microsoft Teams (Bot Framework) channel.") { manifest };
    }

    internal static async Task<int> WriteManifestAsync(BotFrameworkOptions options, ITextCatalog texts, string? outPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        byte[] package;
        try
        {
            package = TeamsManifest.BuildPackage(options, texts);
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync("Cannot build the Teams app package: " + ex.Message);
            return 2;
        }

        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(outPath) ? "ccbot-teams.zip" : outPath);
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllBytesAsync(path, package, cancellationToken);
        await output.WriteLineAsync($"Teams app package written to {path} (app id {TeamsManifest.AppPackageId(options):D}, bot {options.AppId}).");
        await output.WriteLineAsync("Upload it in Teams: Apps → Manage your apps → Upload an app → Upload a custom app.");
        return 0;
    }
}
