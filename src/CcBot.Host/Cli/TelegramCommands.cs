using System.CommandLine;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Contests;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Cli;

/// <summary><c>telegram link CONTEST [--out FILE.png]</c>: the deep link that opens the bot on a contest, and its QR code.</summary>
internal static class TelegramCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var output = context.Output;
        var contest = new Argument<string>("CONTEST") { Description = "Contest id (a file name in data/contests, e.g. hai-duong-2024)." };
        var outOption = new Option<string?>("--out") { Description = "Where to write the QR code PNG (default <CONTEST>-telegram.png)." };
        var link = new Command("link", "Print the t.me deep link that opens the bot on a contest, and write its QR code PNG.") { contest, outOption };
        link.SetAction((parse, ct) => LinkAsync(context, parse.GetValue(contest)!, parse.GetValue(outOption), output, ct));
        var max = new Option<int>("--max") { Description = "How many, newest first (default 50).", DefaultValueFactory = _ => 50 };
        var dead = new Command("dead-letters", "Updates set aside after they could not be read or stored (raw JSON, error, time).") { max };
        dead.SetAction((parse, ct) => DeadLettersAsync(context, parse.GetValue(max), output, ct));
        return [new Command("telegram", "The Telegram channel.") { link, dead }];
    }

    private static async Task<int> DeadLettersAsync(CliContext context, int max, TextWriter output, CancellationToken ct)
    {
        if (max is < 1 or > 10_000)
        {
            await Console.Error.WriteLineAsync("--max must be between 1 and 10000.");
            return 2;
        }

        using var host = CliRoot.BuildServices(context);
        var letters = await host.Services.GetRequiredService<TelegramDeadLetterStore>().ListAsync(max, ct);
        if (letters.Count == 0)
        {
            await output.WriteLineAsync("No dead letters: every Telegram update was stored.");
            return 0;
        }

        foreach (var l in letters)
        {
            await output.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"update {l.UpdateId}  {CcBot.Core.Time.VietnamTime.ToVietnam(l.At):yyyy-MM-dd HH:mm:ss} (Vietnam time)  {l.Attempts} attempt(s)  {l.Error}"));
            await output.WriteLineAsync("  " + (l.Raw.Length > 500 ? l.Raw[..500] + "…" : l.Raw));
        }

        return 0;
    }

    private static async Task<int> LinkAsync(CliContext context, string contestId, string? outFile, TextWriter output, CancellationToken ct)
    {
        using var host = CliRoot.BuildServices(context);
        var catalog = host.Services.GetRequiredService<ContestCatalog>();
        if (catalog.Find(contestId) is null)
        {
            await Console.Error.WriteLineAsync($"Unknown contest '{contestId}'. Known: {string.Join(", ", catalog.Contests.Select(c => c.Id))}.");
            return 2;
        }

        if (contestId.Length > 64 || contestId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            await Console.Error.WriteLineAsync($"Contest id '{contestId}' cannot be a Telegram start payload (up to 64 of A-Z a-z 0-9 _ -).");
            return 2;
        }

        var options = host.Services.GetRequiredService<IOptions<TelegramOptions>>().Value;
        var username = options.BotUsername?.TrimStart('@');
        if (string.IsNullOrWhiteSpace(username))
        {
            if (!options.Enabled)
            {
                await Console.Error.WriteLineAsync("The bot's username is unknown: set Telegram:BotUsername, or Telegram:BotToken so it can be read with getMe.");
                return 2;
            }

            try
            {
                var me = await host.Services.GetRequiredService<TelegramApiClient>().GetMeAsync(ct);
                username = me.Username;
            }
            catch (Exception ex) when (ex is global::Telegram.Bot.Exceptions.RequestException or HttpRequestException or TimeoutException)
            {
                await Console.Error.WriteLineAsync($"getMe failed ({ex.Message}): check Telegram:BotToken, or set Telegram:BotUsername.");
                return 2;
            }

            if (string.IsNullOrWhiteSpace(username))
            {
                await Console.Error.WriteLineAsync("getMe returned no username: set Telegram:BotUsername.");
                return 2;
            }
        }

        var url = $"https://t.me/{username}?start={contestId}";
        await output.WriteLineAsync(url);

        var path = await QrCodeFile.WriteAsync(url, outFile ?? contestId + "-telegram.png", ct);
        await output.WriteLineAsync("QR: " + path);
        return 0;
    }
}
