using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Outbox;
using CcBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Reminders;

public enum ReminderDispatchStatus
{
    /// <summary>Queued for every subscriber now.</summary>
    Queued,
    /// <summary>Queued, due at the end of the quiet hours.</summary>
    Deferred,
    /// <summary>Its deadline passed (missed while the host was down): dropped.</summary>
    Dropped,
    /// <summary>Fired before its time (stale trigger after the contest's dates changed): ignored.</summary>
    NotDue,
    /// <summary>The contest or the reminder no longer exists.</summary>
    Unknown,
}

public sealed record ReminderDispatchResult(ReminderDispatchStatus Status, int Queued, DateTimeOffset? SendAt);

/// <summary>
/// What a reminder job does when it fires: checks the reminder still applies (late but before its deadline: send; deadline
/// passed: drop), applies quiet hours (non-urgent reminders wait for the morning), renders the text and queues one outbox row
/// per subscriber. The dedupe key (contest, reminder, conversation) makes a second firing a no-op: each user gets it at most once.
/// </summary>
public sealed class ReminderDispatcher(
    ContestCatalog catalog,
    IReminderStore store,
    IOutboxStore outbox,
    OutboxSignal signal,
    ITextCatalog texts,
    IOptions<ReminderOptions> options,
    TimeProvider clock,
    ILogger<ReminderDispatcher> logger)
{
    public const string Source = "reminder";

    /// <summary>A trigger this much early still counts as on time (timer granularity).</summary>
    private static readonly TimeSpan EarlyTolerance = TimeSpan.FromMinutes(1);

    public async Task<ReminderDispatchResult> DispatchAsync(string contestId, string reminderKey, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var contest = catalog.Find(contestId);
        var occurrence = contest is null ? null : ReminderPlanner.Plan(contest, o).FirstOrDefault(r => r.Key == reminderKey);
        if (contest is null || occurrence is null)
        {
            logger.LogInformation("Reminder {Contest}/{Key} no longer exists", contestId, reminderKey);
            return new ReminderDispatchResult(ReminderDispatchStatus.Unknown, 0, null);
        }

        var now = clock.GetUtcNow();
        if (now < occurrence.FireAt - EarlyTolerance)
        {
            return new ReminderDispatchResult(ReminderDispatchStatus.NotDue, 0, null);
        }

        if (now >= occurrence.ExpiresAt)
        {
            logger.LogInformation("Reminder {Contest}/{Key} dropped: its deadline {Deadline} passed", contestId, reminderKey, occurrence.ExpiresAt);
            return new ReminderDispatchResult(ReminderDispatchStatus.Dropped, 0, null);
        }

        var sendAt = now;
        var quietEnd = QuietHours.EndOf(now, o.QuietHoursStart, o.QuietHoursEnd);
        var deferred = quietEnd is { } end && end < occurrence.ExpiresAt; // urgent when the deadline would pass before morning
        if (deferred)
        {
            sendAt = quietEnd!.Value;
        }

        var message = Render(contest, occurrence, sendAt);
        var subscribers = await store.SubscribersAsync(contestId, cancellationToken).ConfigureAwait(false);
        var requests = subscribers.Select(to => new OutboxRequest(
            $"{Source}:{contestId}:{reminderKey}:{to.ConversationKey}", Source, contestId + "/" + reminderKey, to, message, sendAt, occurrence.ExpiresAt)).ToList();
        var queued = await outbox.EnqueueAsync(requests, now, cancellationToken).ConfigureAwait(false);
        signal.Notify();
        logger.LogInformation("Reminder {Contest}/{Key}: {Queued} queued for {At}", contestId, reminderKey, queued, sendAt);
        return new ReminderDispatchResult(deferred ? ReminderDispatchStatus.Deferred : ReminderDispatchStatus.Queued, queued, sendAt);
    }

    /// <summary>The reminder text with the exact local time and the source document, and an unsubscribe button.</summary>
    public OutboundMessage Render(Contest contest, ReminderOccurrence occurrence, DateTimeOffset sendAt)
    {
        var m = occurrence.Milestone;
        var source = ContestAnswers.Cite(contest.FindDocument(m.Source) ?? contest.PrimaryDocument, texts);
        var args = new (string, object?)[]
        {
            ("contest", contest.ShortName),
            ("label", m.Label),
            ("moment", ScheduleCalculator.Moment(m, texts)),
            // "trước ngày 08/11/2019" for a day-only deadline, "16h30 ngày 13/12/2024" for a timed closing: never "lúc ngày …".
            ("when", ScheduleCalculator.When(m, texts)),
            ("remaining", ScheduleCalculator.Duration(m.At - sendAt, texts)),
            ("source", source),
        };
        var key = occurrence.Kind switch
        {
            ReminderKind.Opening => "reminders.opening",
            ReminderKind.Closing => "reminders.closing",
            _ => "reminders.before",
        };
        return new OutboundMessage
        {
            Text = texts.Get(key, args),
            Buttons =
            [
                ReplyButton.Action(texts.Get("reminders.button.schedule"), $"contest:{contest.Id}|schedule"),
                ReplyButton.Action(texts.Get("reminders.button.unsubscribe"), $"unsubscribe:{contest.Id}"),
            ],
        };
    }
}
