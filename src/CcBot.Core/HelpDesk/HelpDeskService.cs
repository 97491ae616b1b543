using CcBot.Core.Activities;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;
using CcBot.Nlu;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CcBot.Core.HelpDesk;

/// <summary>Help desk actions of staff: claim, reply, resolve, add to FAQ. Every action is written to the audit log.</summary>
public sealed class HelpDeskService(
    IHelpDeskStore store,
    IConversationStore conversations,
    IProactiveMessenger messenger,
    ITextCatalog texts,
    NluEngineHolder nlu,
    StaffKnowledge knowledge,
    IHelpDeskNotifier notifier,
    TimeProvider time)
{
    public IHelpDeskStore Store => store;

    public async Task<bool> ClaimAsync(long ticketId, string staff, CancellationToken cancellationToken)
    {
        var ticket = await store.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        var alreadyMine = ticket?.ClaimedBy == staff;
        if (ticket is null || !await store.ClaimAsync(ticketId, staff, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await store.AuditAsync(staff, "ticket.claim", Target(ticketId), null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!alreadyMine)
        {
            await SendAsync(ticket.ConversationKey, texts.Get("helpdesk.claimed"), cancellationToken).ConfigureAwait(false);
        }

        await notifier.QueueChangedAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Sends the staff reply to the user on their channel (stored in the transcript). Replying claims the ticket.</summary>
    public async Task<bool> ReplyAsync(long ticketId, string staff, string text, CancellationToken cancellationToken)
    {
        var ticket = await store.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        if (ticket is null || ticket.Status != "open" || string.IsNullOrWhiteSpace(text) || (ticket.ClaimedBy is { } holder && holder != staff))
        {
            return false;
        }

        if (ticket.ClaimedBy is null && !await ClaimAsync(ticketId, staff, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var outcome = await SendAsync(ticket.ConversationKey, text.Trim(), cancellationToken).ConfigureAwait(false);
        await store.AuditAsync(staff, "ticket.reply", Target(ticketId), text.Trim(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Closes the ticket, hands the conversation back to the bot and tells the user.</summary>
    public async Task<bool> ResolveAsync(long ticketId, string staff, CancellationToken cancellationToken)
    {
        var ticket = await store.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        if (ticket is null || (ticket.ClaimedBy is { } holder && holder != staff) ||
            !await store.ResolveAsync(ticketId, staff, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await store.AuditAsync(staff, "ticket.resolve", Target(ticketId), null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (ticket.ClaimedBy is not null)
        {
            await SendAsync(ticket.ConversationKey, texts.Get("helpdesk.resolved"), cancellationToken).ConfigureAwait(false);
        }

        await notifier.QueueChangedAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Adds a question and the staff answer as an FAQ entry and (with an intent) a labelled example, then swaps in a retrained
    /// engine: the next user asking the same question gets the answer without a human.
    /// </summary>
    public async Task<StaffFaqEntry> AddToFaqAsync(string question, string answer, string? intent, string? contestId, long? ticketId, string staff, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        ArgumentException.ThrowIfNullOrWhiteSpace(answer);
        if (intent is not null && !IntentNames.IsKnown(intent))
        {
            throw new ArgumentException($"Unknown intent '{intent}'.", nameof(intent));
        }

        var entry = await store.AddFaqAsync(question.Trim(), answer.Trim(), intent, contestId, ticketId, staff, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await knowledge.ApplyAsync([entry], [], cancellationToken).ConfigureAwait(false);

        await store.AuditAsync(staff, "faq.add", ticketId is { } t ? Target(t) : null, entry.FaqId + ": " + entry.Question, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Labels the grouped misunderstood messages with an intent (training examples), retrains, and closes them.</summary>
    public async Task<int> AssignIntentAsync(IReadOnlyList<long> ticketIds, string intent, string staff, CancellationToken cancellationToken)
    {
        if (!IntentNames.IsKnown(intent))
        {
            throw new ArgumentException($"Unknown intent '{intent}'.", nameof(intent));
        }

        var tickets = await OpenUnclaimedAsync(ticketIds, cancellationToken).ConfigureAwait(false);
        if (tickets.Count == 0)
        {
            return 0;
        }

        var texts = tickets.Select(t => t.Text.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var examples = await store.AddExamplesAsync(texts, intent, staff, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await knowledge.ApplyAsync([], examples, cancellationToken).ConfigureAwait(false);
        await CloseAsync(tickets, staff, "misunderstood.intent", intent, cancellationToken).ConfigureAwait(false);
        return tickets.Count;
    }

    /// <summary>Answers the grouped misunderstood messages with an existing FAQ answer: each question becomes an FAQ entry with it.</summary>
    public async Task<int> AssignFaqAsync(IReadOnlyList<long> ticketIds, string faqId, string staff, CancellationToken cancellationToken)
    {
        await nlu.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
        var document = nlu.Current.Faq.Documents.FirstOrDefault(d => d.Id == faqId) ?? throw new ArgumentException($"Unknown FAQ entry '{faqId}'.", nameof(faqId));
        var tickets = await OpenUnclaimedAsync(ticketIds, cancellationToken).ConfigureAwait(false);
        var entries = new List<StaffFaqEntry>();
        foreach (var text in tickets.Select(t => t.Text.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal))
        {
            entries.Add(await store.AddFaqAsync(text, document.Answer, null, document.ContestId, null, staff, time.GetUtcNow(), cancellationToken).ConfigureAwait(false));
        }

        if (entries.Count > 0)
        {
            await knowledge.ApplyAsync(entries, [], cancellationToken).ConfigureAwait(false);
        }

        await CloseAsync(tickets, staff, "misunderstood.faq", faqId, cancellationToken).ConfigureAwait(false);
        return tickets.Count;
    }

    /// <summary>The engine with the staff FAQ entries added and retrained on their labelled examples and the assigned ones.</summary>
    public static NluEngine Apply(NluEngine engine, IReadOnlyList<StaffFaqEntry> entries, IReadOnlyList<StaffExample> assigned)
    {
        foreach (var e in entries)
        {
            engine = engine.AddFaq(e.FaqId, e.Question, e.Answer, "help desk", e.ContestId);
        }

        var examples = entries.Where(e => e.Intent is not null && IntentNames.IsKnown(e.Intent)).Select(e => new TrainingExample(e.Intent!, e.Question))
            .Concat(assigned.Where(a => IntentNames.IsKnown(a.Intent)).Select(a => new TrainingExample(a.Intent, a.Text)))
            .ToList();
        return examples.Count > 0 ? engine.Retrain(examples) : engine;
    }

    private async Task<List<Ticket>> OpenUnclaimedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var list = new List<Ticket>();
        foreach (var id in ids.Distinct())
        {
            if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { Status: "open", ClaimedBy: null } t)
            {
                list.Add(t);
            }
        }

        return list;
    }

    private async Task CloseAsync(IReadOnlyList<Ticket> tickets, string staff, string action, string detail, CancellationToken cancellationToken)
    {
        foreach (var t in tickets)
        {
            await store.ResolveAsync(t.Id, staff, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await store.AuditAsync(staff, action, Target(t.Id), detail, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        await notifier.QueueChangedAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> SendAsync(string conversationKey, string text, CancellationToken cancellationToken)
    {
        var reference = await conversations.GetReferenceAsync(conversationKey, cancellationToken).ConfigureAwait(false);
        if (reference is null)
        {
            return false;
        }

        var outcome = await messenger.SendAsync(reference, new OutboundMessage { Text = text }, cancellationToken).ConfigureAwait(false);
        // The consoles show the message; with several instances this also wakes the user's Direct Line stream wherever it is held.
        await notifier.ConversationChangedAsync(conversationKey, cancellationToken).ConfigureAwait(false);
        return outcome.Status == SendStatus.Sent;
    }

    private static string Target(long ticketId) => "ticket:" + ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public static class HelpDeskServices
{
    /// <summary>Help desk storage and the quiet-while-claimed gate in front of the router.</summary>
    public static IServiceCollection AddCcBotHelpDesk(this IServiceCollection services)
    {
        services.AddSingleton<IMigrationSource, HelpDeskMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresHelpDeskMigrations>();
        services.AddStore<IHelpDeskStore, SqliteHelpDeskStore, PostgresHelpDeskStore>();
        services.AddSingleton<StaffKnowledge>();
        services.AddHostedService<StaffKnowledgeSync>();
        services.TryAddSingleton<IHelpDeskNotifier, NullHelpDeskNotifier>();
        services.AddSingleton<HelpDeskService>();
        services.AddSingleton<Dialogs.IBotAction, UnhelpfulAction>();
        services.AddSingleton<Dialogs.IBotAction, DisputeAction>();
        services.AddSingleton<Dialogs.IDialog, DisputeDialog>();
        services.AddSingleton<Dialogs.Router>();
        services.Replace(ServiceDescriptor.Singleton<ITurnHandler, HelpDeskGate>());
        return services;
    }
}
