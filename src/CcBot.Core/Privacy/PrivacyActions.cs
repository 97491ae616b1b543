using System.Globalization;
using CcBot.Core.Activities;
using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;
using CcBot.Core.Time;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Privacy;

/// <summary>Makes a download link of a person's data (the web host serves it); absent where nothing serves it.</summary>
public interface IPrivacyExportLinks
{
    /// <summary>The link, or null when the host has no public address to put in it.</summary>
    string? Create(PrivacySubject subject);
}

/// <summary>
/// "Dữ liệu của tôi" in the chat: <c>privacy</c> says what is kept and why; <c>privacy_export</c> gives a download link;
/// <c>privacy_withdraw</c> withdraws consent (name and unit leave the profile); <c>privacy_erase</c> asks, then
/// <c>privacy_erase:confirm</c> erases everything about the person.
/// </summary>
public sealed class PrivacyActions(
    PersonalDataExport export,
    PersonalDataEraser eraser,
    ConsentLog consents,
    IEnumerable<IPrivacyExportLinks> links,
    IOptions<PrivacyOptions> options,
    ITextCatalog texts) : IBotAction
{
    public IReadOnlyCollection<string> Names { get; } = ["privacy", "privacy_export", "privacy_withdraw", "privacy_erase"];

    public async Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        var subject = new PrivacySubject(turn.User.Channel, turn.User.ChannelUserId);
        switch (name)
        {
            case "privacy_export":
                var link = links.Select(l => l.Create(subject)).FirstOrDefault(l => l is not null);
                if (link is null)
                {
                    turn.Reply(texts.Get("privacy.export_no_link"), MenuButtons());
                    return;
                }

                turn.Reply(texts.Get("privacy.export_link", ("minutes", options.Value.ExportLinkMinutes)),
                    [ReplyButton.Link(texts.Get("privacy.button.download"), link), .. MenuButtons()]);
                return;
            case "privacy_withdraw":
                if (turn.User.ConsentAt is null && turn.User.FullName is null)
                {
                    turn.Reply(texts.Get("privacy.nothing_to_withdraw"), MenuButtons());
                    return;
                }

                turn.User.FullName = null;
                turn.User.Unit = null;
                turn.User.ConsentAt = null;
                await consents.RecordAsync(subject, ConsentLog.Withdrawn, options.Value.ConsentVersion, null, turn.Now, cancellationToken).ConfigureAwait(false);
                turn.Reply(texts.Get("privacy.withdrawn"), [ReplyButton.Action(texts.Get("privacy.button.erase"), "privacy_erase"), .. MenuButtons()]);
                return;
            case "privacy_erase" when argument == "confirm":
                await eraser.EraseAsync(subject, cancellationToken).ConfigureAwait(false);
                // The turn's own commit must not write the profile back.
                turn.User.DisplayName = null;
                turn.User.FullName = null;
                turn.User.Unit = null;
                turn.User.ConsentAt = null;
                turn.Reply(texts.Get("privacy.erased"), MenuButtons());
                return;
            case "privacy_erase":
                turn.Reply(texts.Get("privacy.erase_confirm"),
                    [ReplyButton.Action(texts.Get("privacy.button.erase_confirm"), "privacy_erase:confirm"), ReplyButton.Action(texts.Get("button.cancel"), "menu")]);
                return;
            default:
                await SummaryAsync(turn, subject, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async Task SummaryAsync(TurnContext turn, PrivacySubject subject, CancellationToken cancellationToken)
    {
        var counts = await export.SummarizeAsync(subject, cancellationToken).ConfigureAwait(false);
        var log = await consents.ReadAsync(subject, cancellationToken).ConfigureAwait(false);
        var given = turn.User.ConsentAt is null ? null : log.LastOrDefault(c => c.Action == ConsentLog.Given);
        var consent = turn.User.ConsentAt is { } at
            ? texts.Get("privacy.consent_at", ("at", VietnamTime.ToVietnam(at).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)), ("version", given?.Version ?? "—"))
            : texts.Get("privacy.no_consent");
        var days = options.Value.TranscriptRetentionDays;
        turn.Reply(texts.Get("privacy.summary",
            ("name", turn.User.FullName ?? texts.Get("privacy.not_given")),
            ("unit", turn.User.Unit ?? texts.Get("privacy.not_given")),
            ("consent", consent),
            ("messages", counts.Messages),
            ("retention", days > 0 ? texts.Get("privacy.retention_days", ("days", days)) : texts.Get("privacy.retention_forever")),
            ("attempts", counts.QuizAttempts),
            ("entries", counts.Entries),
            ("votes", counts.Votes),
            ("reminders", counts.Reminders),
            ("tickets", counts.Tickets)),
        [
            ReplyButton.Action(texts.Get("privacy.button.export"), "privacy_export"),
            ReplyButton.Action(texts.Get("privacy.button.withdraw"), "privacy_withdraw"),
            ReplyButton.Action(texts.Get("privacy.button.erase"), "privacy_erase"),
            .. MenuButtons(),
        ]);
    }

    private IReadOnlyList<ReplyButton> MenuButtons() => [ReplyButton.Action(texts.Get("button.menu"), "menu")];
}
