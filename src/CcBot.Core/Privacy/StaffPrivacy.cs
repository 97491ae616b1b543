using System.Text.Json.Nodes;
using CcBot.Core.HelpDesk;

namespace CcBot.Core.Privacy;

/// <summary>Export and erasure asked by a staff member (console or CLI): the person is found, the act is written in the audit log.</summary>
public sealed class StaffPrivacy(PrivacySubjects subjects, PersonalDataExport export, PersonalDataEraser eraser, IHelpDeskStore audit, TimeProvider clock)
{
    public async Task<(JsonObject? Document, string? Error)> ExportAsync(string staff, string user, CancellationToken cancellationToken)
    {
        var (subject, error) = await subjects.FindAsync(user, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return (null, error);
        }

        var document = await export.ExportAsync(subject, cancellationToken).ConfigureAwait(false);
        await audit.AuditAsync(staff, "privacy.export", subject.ToString(), null, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return (document, null);
    }

    public async Task<(ErasureResult? Result, string? Error)> EraseAsync(string staff, string user, CancellationToken cancellationToken)
    {
        var (subject, error) = await subjects.FindAsync(user, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return (null, error);
        }

        var result = await eraser.EraseAsync(subject, cancellationToken).ConfigureAwait(false);
        // The audit names the erased person by their anonymous id only: the log must not keep what was erased.
        await audit.AuditAsync(staff, "privacy.erase", subject.Channel + ":" + result.AnonymousId,
            $"messages {result.Messages}, conversations {result.Conversations}, quiz attempts {result.QuizAttempts}, entries {result.Entries}, tickets {result.Tickets}, outbox rows {result.OutboxRows}",
            clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return (result, null);
    }
}
