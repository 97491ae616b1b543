using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;

namespace CcBot.Core.HelpDesk;

/// <summary>Told when a ticket's conversation changes (a new message, claim, resolve); the console pushes it to browsers.</summary>
public interface IHelpDeskNotifier
{
    Task ConversationChangedAsync(string conversationKey, CancellationToken cancellationToken);

    Task QueueChangedAsync(CancellationToken cancellationToken);
}

/// <summary>Nobody listens (CLI, tests without the console).</summary>
public sealed class NullHelpDeskNotifier : IHelpDeskNotifier
{
    public Task ConversationChangedAsync(string conversationKey, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task QueueChangedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Wraps the router: while a staff member holds a claimed open ticket in the conversation, the bot stays quiet and the
/// user's message (already in the transcript) is relayed to the console. Otherwise the router handles the turn, and new
/// escalations are announced to the queue. The claimed check is an in-memory lookup on SQLite, one indexed query on PostgreSQL
/// (a claim made through another instance's console counts at once).
/// </summary>
public sealed class HelpDeskGate(Router router, IHelpDeskStore store, IHelpDeskNotifier notifier) : ITurnHandler
{
    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var key = turn.Activity.ConversationKey;
        if (await store.IsClaimedAsync(key, cancellationToken).ConfigureAwait(false))
        {
            turn.Trace["helpdesk"] = "relayed";
            await notifier.ConversationChangedAsync(key, cancellationToken).ConfigureAwait(false);
            return;
        }

        await router.HandleAsync(turn, cancellationToken).ConfigureAwait(false);
        if (turn.Escalations.Count > 0)
        {
            // Announced once the escalation is committed: a console reloading the queue on this signal must find it.
            turn.AfterCommit(notifier.QueueChangedAsync);
        }
    }
}
