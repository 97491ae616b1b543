using System.CommandLine;
using System.Globalization;
using CcBot.Core.Entries;
using CcBot.Core.Time;
using CcBot.Core.Voting;

namespace CcBot.Host.Cli;

/// <summary>
/// <c>entries list|export|approve|reopen</c> and <c>vote open|tally</c>. Times are Vietnam time, <c>yyyy-MM-dd HH:mm</c> (or <c>yyyy-MM-dd</c>).
/// </summary>
internal static class EntryCommands
{
    private static readonly string[] TimeFormats = ["yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd"];

    public static IEnumerable<Command> Create(CliContext context) => [Entries(context), Vote(context)];

    private static Option<string> ContestOption() => new("--contest") { Description = "The contest id (data/contests/<id>.yaml).", Required = true };

    private static Command Entries(CliContext context)
    {
        var contest = ContestOption();
        var list = new Command("list", "Entries of a contest: receipt, person, unit, time, files (checksum verified), similarity flags.") { contest };
        list.SetAction(async (parse, ct) =>
        {
            using var host = CliRoot.BuildServices(context);
            var id = parse.GetValue(contest)!;
            if (!await KnownAsync(context, host, id))
            {
                return 2;
            }

            var export = host.Services.GetRequiredService<EntryExport>();
            var rows = await export.RowsAsync(id, ct);
            foreach (var r in rows)
            {
                var e = r.Entry;
                var files = string.Join(", ", new[] { e.FileName is null ? null : $"{e.FileName} [{r.FileCheck}]", e.VideoUrl }.Where(x => x is not null));
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{e.Receipt}\t{e.FullName}\t{e.Unit}\t{VietnamTime.ToVietnam(e.ReceivedAt):yyyy-MM-dd HH:mm}\t{e.Title}\t{files}\t{(e.Approved ? "approved" : "")}\t{string.Join("; ", r.Flags)}"));
            }

            var review = await export.ReviewAsync(id, ct);
            var receipts = rows.ToDictionary(r => r.Entry.Id, r => r.Entry.Receipt);
            foreach (var f in review)
            {
                await context.Output.WriteLineAsync($"review: {receipts.GetValueOrDefault(f.EntryA)} ~ {receipts.GetValueOrDefault(f.EntryB)} {EntryExport.Percent(f.Score)}: {string.Join(" … ", f.Passages.Take(2))}");
            }

            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} entries, {review.Count} pairs to review."));
            return 0;
        });

        var outFile = new Option<string>("--out") { Description = "FILE.xlsx (sheets: entries, review) or FILE.csv (plus FILE-review.csv).", Required = true };
        var exportCmd = new Command("export", "Export the entries and the similarity review list.") { contest, outFile };
        exportCmd.SetAction(async (parse, ct) =>
        {
            using var host = CliRoot.BuildServices(context);
            var id = parse.GetValue(contest)!;
            var path = parse.GetValue(outFile)!;
            if (!await KnownAsync(context, host, id))
            {
                return 2;
            }

            if (Path.GetExtension(path).ToLowerInvariant() is not (".xlsx" or ".csv"))
            {
                await context.Output.WriteLineAsync("--out must end in .xlsx or .csv.");
                return 2;
            }

            foreach (var written in await host.Services.GetRequiredService<EntryExport>().WriteAsync(id, path, ct))
            {
                await context.Output.WriteLineAsync("Wrote " + written);
            }

            return 0;
        });

        var receipts = new Argument<string[]>("RECEIPT") { Description = "Receipt codes, e.g. KH21-0001.", Arity = ArgumentArity.OneOrMore };
        var approve = new Command("approve", "Approve entries for the vote.") { contest, receipts };
        approve.SetAction(async (parse, ct) =>
        {
            using var host = CliRoot.BuildServices(context);
            var id = parse.GetValue(contest)!;
            if (!await KnownAsync(context, host, id))
            {
                return 2;
            }

            var wanted = parse.GetValue(receipts)!;
            var n = await host.Services.GetRequiredService<IEntryStore>().ApproveAsync(id, wanted, ct);
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Approved {n} of {wanted.Length} entries."));
            return n == wanted.Length ? 0 : 1;
        });

        var unit = new Option<string>("--unit") { Description = "The unit allowed to submit after the deadline.", Required = true };
        var until = new Option<string>("--until") { Description = "Vietnam time, yyyy-MM-dd HH:mm.", Required = true };
        var reopen = new Command("reopen", "Let one unit submit after the deadline, until the given time.") { contest, unit, until };
        reopen.SetAction(async (parse, ct) =>
        {
            using var host = CliRoot.BuildServices(context);
            var id = parse.GetValue(contest)!;
            if (!await KnownAsync(context, host, id) || await TimeAsync(context, parse.GetValue(until)!) is not { } at)
            {
                return 2;
            }

            await host.Services.GetRequiredService<IEntryStore>().ReopenAsync(id, parse.GetValue(unit)!, at, ct);
            await context.Output.WriteLineAsync($"Reopened {id} for '{parse.GetValue(unit)}' until {VietnamTime.ToVietnam(at):yyyy-MM-dd HH:mm} (Vietnam time).");
            return 0;
        });

        return new Command("entries", "Contest entries (receipts, similarity review).") { list, exportCmd, approve, reopen };
    }

    private static Command Vote(CliContext context)
    {
        var contest = ContestOption();
        var from = new Option<string>("--from") { Description = "Vietnam time, yyyy-MM-dd HH:mm.", Required = true };
        var to = new Option<string>("--to") { Description = "Vietnam time, yyyy-MM-dd HH:mm.", Required = true };
        var open = new Command("open", "Open the vote on the contest's approved entries between two times.") { contest, from, to };
        open.SetAction(async (parse, ct) =>
        {
            using var host = CliRoot.BuildServices(context);
            var id = parse.GetValue(contest)!;
            if (!await KnownAsync(context, host, id) || await TimeAsync(context, parse.GetValue(from)!) is not { } f || await TimeAsync(context, parse.GetValue(to)!) is not { } t)
            {
                return 2;
            }

            if (t <= f)
            {
                await context.Output.WriteLineAsync("--to must be after --from.");
                return 2;
            }

            await host.Services.GetRequiredService<VotingService>().OpenAsync(id, f, t, ct);
            await context.Output.WriteLineAsync($"Vote on {id} open from {VietnamTime.ToVietnam(f):yyyy-MM-dd HH:mm} to {VietnamTime.ToVietnam(t):yyyy-MM-dd HH:mm} (Vietnam time).");
            return 0;
        });

        var tallyContest = ContestOption();
        var tally = new Command("tally", "Live tally from the stored votes; flags bursts of votes from accounts created minutes earlier.") { tallyContest };
        tally.SetAction(async (parse, ct) =>
        {
            using var host = CliRoot.BuildServices(context);
            var id = parse.GetValue(tallyContest)!;
            if (!await KnownAsync(context, host, id))
            {
                return 2;
            }

            var result = await host.Services.GetRequiredService<VotingService>().TallyAsync(id, ct);
            foreach (var r in result.Rows)
            {
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Receipt}\t{r.Votes}\t{r.Title}\t{r.Unit}\tnew-account votes: {r.NewAccountVotes}{(r.Burst ? "\tFLAG: burst of votes from new accounts" : "")}"));
            }

            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{result.TotalVotes} votes."));
            return 0;
        });

        return new Command("vote", "Voting on approved entries.") { open, tally };
    }

    private static async Task<bool> KnownAsync(CliContext context, IHost host, string id)
    {
        if (host.Services.GetRequiredService<EntryService>().Find(id) is not null)
        {
            return true;
        }

        await context.Output.WriteLineAsync($"Contest '{id}' takes no entries (unknown, wrong kind, or no data/entries/{id}.entries.yaml).");
        return false;
    }

    private static async Task<DateTimeOffset?> TimeAsync(CliContext context, string text)
    {
        if (DateTime.TryParseExact(text.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            return VietnamTime.At(t.Year, t.Month, t.Day, t.Hour, t.Minute);
        }

        await context.Output.WriteLineAsync($"Cannot read the time '{text}': use yyyy-MM-dd HH:mm (Vietnam time).");
        return null;
    }
}
