using System.CommandLine;
using CcBot.Core.Channels.Zalo;
using CcBot.Core.Contests;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Cli;

/// <summary><c>zalo link CONTEST [--out FILE.png]</c>: the OA's chat link with the message that picks the contest, and its QR code.</summary>
internal static class ZaloCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var output = context.Output;
        var contest = new Argument<string>("CONTEST") { Description = "Contest id (a file name in data/contests, e.g. hai-duong-2024)." };
        var outOption = new Option<string?>("--out") { Description = "Where to write the QR code PNG (default <CONTEST>-zalo.png)." };
        var link = new Command("link", "Print the Zalo OA chat link and the message that opens the bot on a contest, and write the link's QR code PNG.") { contest, outOption };
        link.SetAction((parse, ct) => LinkAsync(context, parse.GetValue(contest)!, parse.GetValue(outOption), output, ct));
        return [new Command("zalo", "The Zalo Official Account channel.") { link }];
    }

    private static async Task<int> LinkAsync(CliContext context, string contestId, string? outFile, TextWriter output, CancellationToken ct)
    {
        using var host = CliRoot.BuildServices(context);
        var catalog = host.Services.GetRequiredService<ContestCatalog>();
        var found = catalog.Find(contestId);
        if (found is null)
        {
            await Console.Error.WriteLineAsync($"Unknown contest '{contestId}'. Known: {string.Join(", ", catalog.Contests.Select(c => c.Id))}.");
            return 2;
        }

        var oaId = host.Services.GetRequiredService<IOptions<ZaloOptions>>().Value.OaId;
        if (string.IsNullOrWhiteSpace(oaId))
        {
            await Console.Error.WriteLineAsync("The OA's id is unknown: set Zalo:OaId (the number on the OA's page in oa.zalo.me).");
            return 2;
        }

        // A Zalo OA chat link carries no start parameter (unlike Telegram's ?start=): the participant sends the
        // contest's start message as their first message, which the bot reads as on every channel.
        var url = $"https://zalo.me/{oaId}";
        var message = $"/start {contestId}";
        await output.WriteLineAsync(url);
        await output.WriteLineAsync($"Tin nhắn đầu tiên để chọn cuộc thi \"{found.Title}\": {message}");

        var path = await QrCodeFile.WriteAsync(url, outFile ?? contestId + "-zalo.png", ct);
        await output.WriteLineAsync("QR: " + path);
        return 0;
    }
}
