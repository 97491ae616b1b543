using System.CommandLine;
using System.Globalization;
using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Time;

namespace CcBot.Host.Cli;

/// <summary>
/// <c>broadcast create|list|status|cancel</c>: organizer announcements. <c>create</c> stores the broadcast and one outbox row per
/// recipient in the configured database; the running web host's outbox workers deliver them.
/// </summary>
internal static class BroadcastCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var output = context.Output;

        var text = new Option<string>("--text") { Description = "The announcement (light markup: **bold**, line breaks).", Required = true };
        var links = new Option<string[]>("--link") { Description = "A link button 'Title|https://...'; repeatable.", AllowMultipleArgumentsPerToken = false };
        var audience = new Option<string>("--audience") { Description = "everyone | contest | unit | channel (default everyone)." };
        var value = new Option<string?>("--value") { Description = "Contest id, unit name or channel id (telegram, msteams, directline) for the audience." };
        var at = new Option<string?>("--at") { Description = "When to send, Vietnam time unless an offset is given (e.g. 2025-01-15T08:00); default now." };
        var by = new Option<string?>("--by") { Description = "Who creates it (recorded)." };
        var create = new Command("create", "Create a broadcast: recipients are fixed now, the running host sends at the given time.") { text, links, audience, value, at, by };
        create.SetAction((parse, ct) => CreateAsync(context, output, parse.GetValue(text)!, parse.GetValue(links) ?? [], parse.GetValue(audience), parse.GetValue(value), parse.GetValue(at), parse.GetValue(by), ct));

        var max = new Option<int>("--max") { Description = "How many (newest first, default 20).", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List broadcasts with their delivery counts.") { max };
        list.SetAction((parse, ct) => ListAsync(context, output, parse.GetValue(max), ct));

        var id = new Argument<long>("ID") { Description = "Broadcast id." };
        var status = new Command("status", "Delivery report: sent, failed with reasons, blocked, pending.") { id };
        status.SetAction((parse, ct) => StatusAsync(context, output, parse.GetValue(id), ct));

        var cancelId = new Argument<long>("ID") { Description = "Broadcast id." };
        var cancel = new Command("cancel", "Cancel what is not yet sent.") { cancelId };
        cancel.SetAction((parse, ct) => CancelAsync(context, output, parse.GetValue(cancelId), ct));

        return [new Command("broadcast", "Organizer announcements through the durable outbox.") { create, list, status, cancel }];
    }

    private static async Task<int> CreateAsync(CliContext context, TextWriter output, string text, string[] linkSpecs, string? audienceText, string? value, string? atText, string? by, CancellationToken ct)
    {
        if (!Enum.TryParse<BroadcastAudience>(audienceText ?? "everyone", ignoreCase: true, out var audience) || int.TryParse(audienceText, out _))
        {
            await Console.Error.WriteLineAsync($"Unknown audience '{audienceText}': use everyone, contest, unit or channel.");
            return 2;
        }

        var buttons = new List<ReplyButton>();
        foreach (var spec in linkSpecs)
        {
            var bar = spec.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0)
            {
                await Console.Error.WriteLineAsync($"Link '{spec}' must be 'Title|https://...'.");
                return 2;
            }

            buttons.Add(ReplyButton.Link(spec[..bar].Trim(), spec[(bar + 1)..].Trim()));
        }

        using var host = CliRoot.BuildServices(context);
        var services = host.Services;
        var clock = services.GetRequiredService<TimeProvider>();
        var sendAt = clock.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(atText))
        {
            if (!TryParseTime(atText, out sendAt))
            {
                await Console.Error.WriteLineAsync($"--at '{atText}' is not a date and time (e.g. 2025-01-15T08:00).");
                return 2;
            }
        }

        var draft = new BroadcastDraft(text, buttons, audience, value, sendAt, by ?? Environment.UserName);
        var errors = BroadcastService.Validate(draft);
        if (audience == BroadcastAudience.Contest && value is not null && services.GetRequiredService<Core.Contests.ContestCatalog>().Find(value) is null)
        {
            errors = [.. errors, $"Unknown contest '{value}'."];
        }

        if (errors.Count > 0)
        {
            foreach (var e in errors)
            {
                await Console.Error.WriteLineAsync(e);
            }

            return 2;
        }

        var (id, recipients) = await services.GetRequiredService<BroadcastService>().CreateAsync(draft, ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Broadcast {id} created: {recipients} recipients, sending from {VietnamTime.ToVietnam(sendAt):yyyy-MM-dd HH:mm} (Vietnam time) by the running host."));
        return 0;
    }

    private static async Task<int> ListAsync(CliContext context, TextWriter output, int max, CancellationToken ct)
    {
        using var host = CliRoot.BuildServices(context);
        var service = host.Services.GetRequiredService<BroadcastService>();
        var list = await service.ListAsync(Math.Clamp(max, 1, 1000), ct);
        if (list.Count == 0)
        {
            await output.WriteLineAsync("No broadcasts.");
            return 0;
        }

        foreach (var b in list)
        {
            var report = (await service.StatusAsync(b.Id, ct))!.Value.Report;
            var snippet = b.Text.ReplaceLineEndings(" ");
            if (snippet.Length > 50)
            {
                snippet = snippet[..50] + "…";
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{b.Id,5}  {VietnamTime.ToVietnam(b.SendAt):yyyy-MM-dd HH:mm}  {b.Status,-9}  {Audience(b),-22}  sent {report.Sent}/{report.Total}, pending {report.Pending + report.Sending}, failed {report.Failed + report.Blocked + report.Expired}, channel off {report.ChannelOff}  {snippet}"));
        }

        return 0;
    }

    private static async Task<int> StatusAsync(CliContext context, TextWriter output, long id, CancellationToken ct)
    {
        using var host = CliRoot.BuildServices(context);
        if (await host.Services.GetRequiredService<BroadcastService>().StatusAsync(id, ct) is not { } status)
        {
            await Console.Error.WriteLineAsync($"No broadcast {id}.");
            return 2;
        }

        var (b, r) = status;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Broadcast {b.Id} ({b.Status}), audience {Audience(b)}, send at {VietnamTime.ToVietnam(b.SendAt):yyyy-MM-dd HH:mm} (Vietnam time)"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"recipients {r.Total}: sent {r.Sent}, pending {r.Pending}, sending {r.Sending}, failed {r.Failed}, blocked {r.Blocked}, expired {r.Expired}, cancelled {r.Cancelled}, channel off {r.ChannelOff}"));
        foreach (var (reason, count) in r.FailureReasons)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {count} × {(reason.Length == 0 ? "(no reason)" : reason)}"));
        }

        return 0;
    }

    private static async Task<int> CancelAsync(CliContext context, TextWriter output, long id, CancellationToken ct)
    {
        using var host = CliRoot.BuildServices(context);
        var cancelled = await host.Services.GetRequiredService<BroadcastService>().CancelAsync(id, ct);
        if (cancelled is null)
        {
            await Console.Error.WriteLineAsync($"No broadcast {id}.");
            return 2;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Broadcast {id} cancelled: {cancelled} recipients will not receive it."));
        return 0;
    }

    private static string Audience(Broadcast b) => b.AudienceValue is null ? b.Audience.ToString().ToLowerInvariant() : $"{b.Audience.ToString().ToLowerInvariant()}={b.AudienceValue}";

    internal static bool TryParseTime(string text, out DateTimeOffset at)
    {
        var hasOffset = text.EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d$");
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            at = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), VietnamTime.Offset);
            return true;
        }

        at = default;
        return false;
    }
}
