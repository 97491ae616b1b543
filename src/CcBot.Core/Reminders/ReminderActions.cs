using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Reminders;

/// <summary>
/// "nhắc tôi" / <c>/nhacnho</c> / the "Nhắc hạn" menu button subscribe the conversation to its contest's reminders;
/// "hủy nhắc" / <c>/huynhac</c> / the button on each reminder unsubscribe. With several contests and none chosen, asks which.
/// </summary>
public sealed class ReminderActions(ContestCatalog catalog, ContestContext context, IReminderStore store, ITextCatalog texts, IOptions<ReminderOptions> options) : IBotAction
{
    public IReadOnlyCollection<string> Names { get; } = ["subscribe", "unsubscribe"];

    public Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken) =>
        name == "subscribe" ? SubscribeAsync(turn, argument, cancellationToken) : UnsubscribeAsync(turn, argument, cancellationToken);

    private async Task SubscribeAsync(TurnContext turn, string? argument, CancellationToken ct)
    {
        var contest = argument is { Length: > 0 } ? catalog.Find(argument) : context.Current(turn);
        if (contest is null)
        {
            AskWhich(turn, "subscribe", "reminders.choose");
            return;
        }

        turn.State.ContestId = contest.Id;
        var added = await store.SubscribeAsync(contest.Id, turn.Activity.ConversationKey, turn.Now, ct).ConfigureAwait(false);
        var next = ReminderPlanner.Plan(contest, options.Value).FirstOrDefault(r => r.FireAt > turn.Now);
        var offsets = string.Join(", ", options.Value.OffsetsFor(contest.Id).Select(o => ScheduleCalculator.Duration(o, texts)));
        var text = texts.Get(added ? "reminders.subscribed" : "reminders.already_subscribed", ("contest", contest.ShortName), ("offsets", offsets));
        text += "\n" + (next is null
            ? texts.Get("reminders.no_upcoming")
            : texts.Get("reminders.next", ("moment", ScheduleCalculator.Moment(next.FireAt, texts)), ("label", next.Milestone.Label)));
        turn.Reply(text,
        [
            ReplyButton.Action(texts.Get("reminders.button.unsubscribe"), $"unsubscribe:{contest.Id}"),
            ReplyButton.Action(texts.Get("button.menu"), "menu"),
        ]);
    }

    private async Task UnsubscribeAsync(TurnContext turn, string? argument, CancellationToken ct)
    {
        var key = turn.Activity.ConversationKey;
        string? contestId = argument is { Length: > 0 } ? argument : null;
        if (contestId is null)
        {
            var subscriptions = await store.SubscriptionsAsync(key, ct).ConfigureAwait(false);
            if (subscriptions.Count > 1 && context.Current(turn) is { } current && subscriptions.Contains(current.Id))
            {
                contestId = current.Id;
            }
        }

        var removed = await store.UnsubscribeAsync(contestId, key, ct).ConfigureAwait(false);
        if (removed.Count == 0)
        {
            turn.Reply(texts.Get("reminders.not_subscribed"), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
            return;
        }

        var names = string.Join(", ", removed.Select(id => catalog.Find(id)?.ShortName ?? id));
        turn.Reply(texts.Get("reminders.unsubscribed", ("contest", names)),
        [
            ReplyButton.Action(texts.Get("reminders.button.subscribe_again"), removed.Count == 1 ? $"subscribe:{removed[0]}" : "subscribe"),
            ReplyButton.Action(texts.Get("button.menu"), "menu"),
        ]);
    }

    private void AskWhich(TurnContext turn, string action, string textKey)
    {
        if (catalog.Contests.Count == 0)
        {
            turn.Reply(texts.Get("contest.none_loaded"), [ReplyButton.Action(texts.Get("button.human"), "human")]);
            return;
        }

        turn.Reply(texts.Get(textKey), [.. catalog.Contests.Select(c => ReplyButton.Action(c.ShortName, $"{action}:{c.Id}"))]);
    }
}
