using System.CommandLine;
using CcBot.Core.Privacy;

namespace CcBot.Host.Cli;

/// <summary>
/// <c>privacy export USER [--out FILE]</c> and <c>privacy erase USER --yes</c>: a participant's data (Nghị định 13/2023/NĐ-CP)
/// for a staff member, named <c>channel:id</c> (as the console shows it) or by profile number; both written in the audit log.
/// </summary>
internal static class PrivacyCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var user = new Argument<string>("USER") { Description = "channel:id (for example telegram:12345) or the profile number." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the JSON document to this file instead of standard output." };
        var export = new Command("export", "Everything stored about a participant, as JSON.") { user, output };
        export.SetAction((parse, ct) => ExportAsync(context, parse.GetValue(user)!, parse.GetValue(output), ct));

        var eraseUser = new Argument<string>("USER") { Description = "channel:id (for example telegram:12345) or the profile number." };
        var yes = new Option<bool>("--yes") { Description = "Confirm: the erasure cannot be undone." };
        var erase = new Command("erase", "Erase a participant: name and ids leave every table, their texts are blanked; results stay, anonymous, for the counts per unit.") { eraseUser, yes };
        erase.SetAction((parse, ct) => EraseAsync(context, parse.GetValue(eraseUser)!, parse.GetValue(yes), ct));

        return [new Command("privacy", "Personal data of participants: export and erasure, audited.") { export, erase }];
    }

    private static async Task<int> ExportAsync(CliContext context, string user, FileInfo? output, CancellationToken ct)
    {
        using var host = CliRoot.BuildServices(context);
        var (document, error) = await host.Services.GetRequiredService<StaffPrivacy>().ExportAsync(Staff(), user, ct);
        if (document is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        var text = PersonalDataExport.ToText(document);
        if (output is null)
        {
            await context.Output.WriteLineAsync(text);
        }
        else
        {
            await File.WriteAllTextAsync(output.FullName, text, ct);
            await context.Output.WriteLineAsync($"Wrote {output.FullName}.");
        }

        return 0;
    }

    private static async Task<int> EraseAsync(CliContext context, string user, bool confirmed, CancellationToken ct)
    {
        if (!confirmed)
        {
            await Console.Error.WriteLineAsync($"Erasing {user} cannot be undone; run again with --yes to erase. Nothing was changed.");
            return 2;
        }

        using var host = CliRoot.BuildServices(context);
        var (result, error) = await host.Services.GetRequiredService<StaffPrivacy>().EraseAsync(Staff(), user, ct);
        if (result is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        await context.Output.WriteLineAsync(
            $"Erased {user}: now {result.AnonymousId}; {result.Messages} messages blanked, {result.Conversations} conversations made anonymous, " +
            $"{result.QuizAttempts} quiz attempts and {result.Entries} entries kept without the name, {result.Tickets} tickets blanked, {result.OutboxRows} outbox rows.");
        return 0;
    }

    /// <summary>Who ran the verb, for the audit log.</summary>
    private static string Staff() => "cli:" + Environment.UserName;
}
