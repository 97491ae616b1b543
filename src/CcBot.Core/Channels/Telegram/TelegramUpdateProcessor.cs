using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;
using Microsoft.Extensions.Logging;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CcBot.Core.Channels.Telegram;

/// <summary>
/// Shared by polling and the webhook: maps an update, stores it through the inbox (durable, de-duplicated by update_id),
/// then answers callback queries so the client's spinner stops. Does not wait for the turn.
/// </summary>
public sealed class TelegramUpdateProcessor(
    IInbox inbox,
    TelegramApiClient api,
    TelegramCallbacks callbacks,
    TelegramBotIdentity bot,
    TelegramTurnWindow window,
    IProactiveMessenger proactive,
    ITextCatalog texts,
    TimeProvider clock,
    ILogger<TelegramUpdateProcessor> logger)
{
    /// <summary>
    /// Stores one update. Returns when it is durably stored (or known to be ignored); the returned task completes
    /// when its turn has run (already completed for duplicates and ignored updates).
    /// </summary>
    public async Task<Task> ProcessAsync(Update update, string? rawJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        string? payload = null;
        if (update.CallbackQuery is { Data: { } data })
        {
            payload = await callbacks.DecodeAsync(data, cancellationToken).ConfigureAwait(false) ?? data;
        }

        var handled = Task.CompletedTask;
        var activity = TelegramUpdateMapper.Map(update, rawJson, bot, clock.GetUtcNow(), payload);
        if (activity is not null)
        {
            var receipt = await inbox.SubmitAsync(activity, cancellationToken).ConfigureAwait(false);
            handled = receipt.Handled;
        }
        else if (update.MyChatMember is { NewChatMember.Status: ChatMemberStatus.Member or ChatMemberStatus.Administrator, Chat.Type: ChatType.Group or ChatType.Supergroup } added)
        {
            // The bot was added to a group: explain how to address it there.
            var to = TelegramUpdateMapper.Reference(added.Chat, added.From);
            await proactive.SendAsync(to, OutboundMessage.Plain(texts.Get("telegram.group_hint", ("bot", bot.Username ?? "CcBot"))), cancellationToken).ConfigureAwait(false);
        }
        else if (update.CallbackQuery is null)
        {
            logger.LogDebug("Telegram update {Id} is not for the bot; ignored", update.Id);
        }

        if (update.CallbackQuery is { } cq)
        {
            // Always, even for stale or duplicate buttons; not awaited so a batch is not slowed down by it.
            _ = AnswerAsync(cq.Id);
        }

        return handled;
    }

    /// <summary>
    /// Stores one update within <see cref="TelegramTurnWindow"/> (polling and the webhook alike): waits for a slot,
    /// stores, and frees the slot once the update's turn has run (at once when storing fails).
    /// </summary>
    public async Task StoreInWindowAsync(Update update, string? rawJson, CancellationToken cancellationToken)
    {
        await window.EnterAsync(cancellationToken).ConfigureAwait(false);
        Task handled;
        try
        {
            handled = await ProcessAsync(update, rawJson, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            window.Leave();
            throw;
        }

        window.LeaveWhen(handled);
    }

    /// <summary>
    /// Stores a batch: conversations in parallel, each conversation's updates in order, within the turn window
    /// (back-pressure: the backlog stays at Telegram, not in memory).
    /// Returns the updates that could not be read or stored, with the reason; a conversation's later updates wait
    /// behind its first failure (they come again with the next poll), other conversations go on.
    /// </summary>
    public async Task<IReadOnlyList<(TelegramIncoming Incoming, string Error)>> ProcessBatchAsync(IReadOnlyList<TelegramIncoming> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var failures = new System.Collections.Concurrent.ConcurrentBag<(TelegramIncoming, string)>();
        var lanes = batch.GroupBy(u => u.Update is null ? -u.UpdateId : ChatOf(u.Update)).Select(async lane =>
        {
            foreach (var incoming in lane)
            {
                if (incoming.Update is null)
                {
                    failures.Add((incoming, incoming.ReadError ?? "unreadable update"));
                    return;
                }

                try
                {
                    await StoreInWindowAsync(incoming.Update, incoming.Raw, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Telegram update {Id} could not be stored", incoming.UpdateId);
                    failures.Add((incoming, ex.GetType().Name + ": " + ex.Message));
                    return;
                }
            }
        });
        await Task.WhenAll(lanes).ConfigureAwait(false);
        return [.. failures];
    }

    private static long ChatOf(Update u) =>
        u.Message?.Chat.Id ?? u.EditedMessage?.Chat.Id ?? u.CallbackQuery?.Message?.Chat.Id ?? u.MyChatMember?.Chat.Id ?? 0;

    private async Task AnswerAsync(string callbackQueryId)
    {
        try
        {
            await api.AnswerCallbackQueryAsync(callbackQueryId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestException or HttpRequestException or TimeoutException)
        {
            // Old queries (>15 min) are rejected with 400; the click itself is stored.
            logger.LogDebug(ex, "answerCallbackQuery {Id} failed", callbackQueryId);
        }
    }
}

/// <summary>
/// Bounds the Telegram turns stored but not yet handled (<c>Telegram:MaxPendingTurns</c>), for polling and the webhook
/// alike: past it the poller waits before its next getUpdates and a webhook call waits before it is answered, so a
/// backlog stays at Telegram instead of in memory.
/// </summary>
public sealed class TelegramTurnWindow(Microsoft.Extensions.Options.IOptions<TelegramOptions> options)
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxPendingTurns); // not disposed: turns running at shutdown still leave

    public Task EnterAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Leave() => _slots.Release();

    /// <summary>Frees the slot once the stored update's turn has run.</summary>
    public void LeaveWhen(Task handled) =>
        handled.ContinueWith(static (_, w) => ((TelegramTurnWindow)w!).Leave(), this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
