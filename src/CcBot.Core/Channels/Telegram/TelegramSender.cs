using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.ReplyMarkups;

namespace CcBot.Core.Channels.Telegram;

/// <summary>
/// Delivers stored replies with the Bot API: HTML rendering, inline keyboards, splitting over 4096 characters,
/// edit-in-place, rate limits and retries (429 retry_after, 5xx backoff), 403 → unreachable, group → supergroup migration.
/// </summary>
public sealed class TelegramSender(
    TelegramApiClient api,
    TelegramRateLimiter limiter,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(TelegramUpdateMapper.Channel)] CcBot.Core.Outbox.SharedChannelRate sharedRate,
    TelegramCallbacks callbacks,
    IOptions<TelegramOptions> options,
    TimeProvider clock,
    CcBot.Core.Telemetry.CcBotMetrics metrics,
    ILogger<TelegramSender> logger) : IChannelSender
{
    /// <summary>Titles longer than this get a row of their own.</summary>
    private const int LongTitle = 20;

    private static readonly TimeSpan RetryMargin = TimeSpan.FromMilliseconds(50);

    public string Channel => TelegramUpdateMapper.Channel;

    public async Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(message);
        if (!long.TryParse(to.ConversationId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId))
        {
            return new SendOutcome(SendStatus.Failed, Error: $"'{to.ConversationId}' is not a Telegram chat id.");
        }

        var parts = TelegramHtml.Split(TelegramHtml.Render(message.Message.Text));
        var keyboard = await KeyboardAsync(message.Message.Buttons, cancellationToken).ConfigureAwait(false);
        var migrated = false;
        while (true)
        {
            try
            {
                var id = await DeliverAsync(chatId, parts, keyboard, message.Message.ReplacesChannelMessageId, cancellationToken).ConfigureAwait(false);
                return SendOutcome.Ok(id.ToString(CultureInfo.InvariantCulture));
            }
            catch (ApiRequestException ex) when (ex.Parameters?.MigrateToChatId is { } newChat && !migrated)
            {
                logger.LogInformation("Telegram chat {Old} migrated to {New}; resending", chatId, newChat);
                chatId = newChat;
                migrated = true;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 403)
            {
                return new SendOutcome(SendStatus.Unreachable, Error: ex.Message);
            }
            catch (RequestException ex) when (ex.IsTransient())
            {
                return new SendOutcome(SendStatus.Retry, Error: ex.Message, RetryAfter: ex.RetryAfter());
            }
            catch (RequestException ex)
            {
                return new SendOutcome(SendStatus.Failed, Error: ex.Code().ToString(CultureInfo.InvariantCulture) + " " + ex.Message);
            }
            catch (Exception ex) when (IsNetwork(ex, cancellationToken))
            {
                return new SendOutcome(SendStatus.Retry, Error: ex.Message);
            }
        }
    }

    private async Task<long> DeliverAsync(long chatId, IReadOnlyList<string> parts, InlineKeyboardMarkup? keyboard, string? replaces, CancellationToken ct)
    {
        if (parts.Count == 1 && int.TryParse(replaces, NumberStyles.None, CultureInfo.InvariantCulture, out var messageId))
        {
            try
            {
                return await WithRetriesAsync(chatId, c => api.EditMessageTextAsync(chatId, messageId, parts[0], keyboard, c), ct).ConfigureAwait(false);
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 400 && ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
            {
                return messageId;
            }
        }

        long last = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var markup = i == parts.Count - 1 ? keyboard : null;
            var sent = await WithRetriesAsync(chatId, c => api.SendMessageAsync(chatId, part, markup, c), ct).ConfigureAwait(false);
            last = sent.Id;
        }

        return last;
    }

    /// <summary>Runs one Bot API call under the rate limiter; waits out 429 retry_after and backs off on 5xx and network errors.</summary>
    internal async Task<T> WithRetriesAsync<T>(long chatId, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var attempts = options.Value.MaxSendAttempts;
        var backoff = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            var waitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            await sharedRate.WaitAsync(ct).ConfigureAwait(false);
            await limiter.WaitAsync(chatId, ct).ConfigureAwait(false);
            metrics.RateLimitWaited(Channel, System.Diagnostics.Stopwatch.GetElapsedTime(waitStarted));
            TimeSpan wait;
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 429 && attempt < attempts)
            {
                // Never sooner than retry_after: a small margin absorbs timer and clock granularity.
                wait = ex.RetryAfter() is { } after ? after + RetryMargin : backoff;
                logger.LogWarning("Telegram 429 for chat {Chat}: waiting {Seconds} s", chatId, wait.TotalSeconds);
            }
            catch (RequestException ex) when (ex.Code() >= 500 && attempt < attempts)
            {
                wait = backoff;
            }
            catch (Exception ex) when (attempt < attempts && IsNetwork(ex, ct))
            {
                wait = backoff;
            }

            backoff *= 2;
            await Task.Delay(wait, clock, ct).ConfigureAwait(false);
        }
    }

    private static bool IsNetwork(Exception ex, CancellationToken ct) =>
        ex is HttpRequestException or TimeoutException or SocketException or IOException
        || (ex is OperationCanceledException && !ct.IsCancellationRequested);

    private async Task<InlineKeyboardMarkup?> KeyboardAsync(IReadOnlyList<ReplyButton> buttons, CancellationToken ct)
    {
        if (buttons.Count == 0)
        {
            return null;
        }

        var rows = new List<List<InlineKeyboardButton>>();
        List<InlineKeyboardButton>? row = null;
        foreach (var b in buttons)
        {
            InlineKeyboardButton button;
            if (!string.IsNullOrEmpty(b.Url))
            {
                button = InlineKeyboardButton.WithUrl(b.Title, b.Url);
            }
            else if (!string.IsNullOrEmpty(b.Value))
            {
                button = InlineKeyboardButton.WithCallbackData(b.Title, await callbacks.EncodeAsync(b.Value, ct).ConfigureAwait(false));
            }
            else
            {
                continue;
            }

            var wide = new StringInfo(b.Title).LengthInTextElements > LongTitle;
            if (wide)
            {
                rows.Add([button]);
                row = null;
            }
            else if (row is { Count: 1 })
            {
                row.Add(button);
                row = null;
            }
            else
            {
                row = [button];
                rows.Add(row);
            }
        }

        return rows.Count == 0 ? null : new InlineKeyboardMarkup(rows);
    }

    /// <summary>For logs and tests: the UTF-8 size Telegram counts for callback_data.</summary>
    internal static int CallbackBytes(string data) => Encoding.UTF8.GetByteCount(data);
}
