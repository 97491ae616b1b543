using System.CommandLine;
using System.Globalization;
using CcBot.Core.Contests;
using CcBot.Core.Quiz;

namespace CcBot.Host.Cli;

/// <summary><c>quiz import</c> (question banks) and <c>reports participation</c> (per-unit participation for the notices' reports).</summary>
internal static class QuizCommands
{
    public static IEnumerable<Command> Create(CliContext context) => [Quiz(context), Reports(context)];

    private static Command Quiz(CliContext context)
    {
        var contest = new Option<string>("--contest") { Description = "The contest id (data/contests/<id>.yaml).", Required = true };
        var file = new Argument<string>("FILE") { Description = "The bank: .csv or .xlsx (sheet 'questions')." };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Import the good rows of a file with errors (default: import nothing)." };
        var import = new Command("import", "Import a contest's question bank; every bad row is reported by number and reason.") { contest, file, skipBad };
        import.SetAction(async (parse, ct) =>
        {
            var output = context.Output;
            using var host = CliRoot.BuildServices(context);
            var id = parse.GetValue(contest)!;
            if (host.Services.GetRequiredService<ContestCatalog>().Find(id) is null)
            {
                await output.WriteLineAsync($"Unknown contest '{id}'.");
                return 2;
            }

            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await output.WriteLineAsync($"File not found: {path}");
                return 2;
            }

            BankImportReport report;
            try
            {
                report = await host.Services.GetRequiredService<BankImporter>().ImportAsync(id, path, parse.GetValue(skipBad), ct);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
            {
                await output.WriteLineAsync($"Cannot read {path}: {ex.Message}");
                return 2;
            }

            foreach (var error in report.Errors)
            {
                await output.WriteLineAsync(error.ToString());
            }

            await output.WriteLineAsync(report.Stored
                ? string.Create(CultureInfo.InvariantCulture, $"Imported {report.Imported} questions for {id}; {report.Rejected} bad rows skipped.")
                : string.Create(CultureInfo.InvariantCulture, $"Nothing imported: {report.Errors.Count} errors in {report.Rejected} rows. Fix the file or use --skip-bad."));
            return report.Stored ? 0 : 1;
        });

        return new Command("quiz", "Quiz question banks.") { import };
    }

    private static Command Reports(CliContext context)
    {
        var contest = new Option<string>("--contest") { Description = "The contest id.", Required = true };
        var outFile = new Option<string>("--out") { Description = "FILE.xlsx (two sheets) or FILE.csv (plus FILE-participants.csv).", Required = true };
        var participation = new Command("participation", "Per unit: participants, attempts, average and best score, ranked; and the individual list.") { contest, outFile };
        participation.SetAction(async (parse, ct) =>
        {
            var output = context.Output;
            using var host = CliRoot.BuildServices(context);
            var id = parse.GetValue(contest)!;
            if (host.Services.GetRequiredService<ContestCatalog>().Find(id) is null)
            {
                await output.WriteLineAsync($"Unknown contest '{id}'.");
                return 2;
            }

            var path = parse.GetValue(outFile)!;
            if (Path.GetExtension(path).ToLowerInvariant() is not (".xlsx" or ".csv"))
            {
                await output.WriteLineAsync("--out must end in .xlsx or .csv");
                return 2;
            }

            var report = host.Services.GetRequiredService<ParticipationReport>();
            var data = await report.BuildAsync(id, ct);
            foreach (var written in report.Write(data, path))
            {
                await output.WriteLineAsync($"Wrote {written}");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{data.Units.Count} units, {data.Participants.Count} participants, {data.TotalAttempts} attempts."));
            return 0;
        });

        return new Command("reports", "Reports for organizers.") { participation };
    }
}
