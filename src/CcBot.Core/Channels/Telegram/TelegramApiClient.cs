using System.Text.Json;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace CcBot.Core.Channels.Telegram;

/// <summary>
/// The Bot API through the Telegram.Bot library (its types, requests, JSON options and errors) on an <see cref="HttpClient"/>
/// from the factory, at a configurable API root. The library's own 429 retries are off: the sender's rate limiter and
/// retry policy decide. Updates are fetched as raw JSON and read one by one, so an update the library cannot read is
/// kept as a dead letter instead of failing its whole batch.
/// </summary>
public sealed class TelegramApiClient
{
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private readonly Lazy<TelegramBotClient> _client;

    public TelegramApiClient(HttpClient http, IOptions<TelegramOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        // Every call carries its own deadline (long polls need longer than sends).
        http.Timeout = Timeout.InfiniteTimeSpan;
        var o = options.Value;
        // Made on first use: a host with Telegram off never validates an empty token.
        _client = new Lazy<TelegramBotClient>(() =>
            new TelegramBotClient(new TelegramBotClientOptions(o.BotToken ?? "", o.ApiBaseUrl.TrimEnd('/')) { RetryCount = 0, RetryThreshold = 0 }, http));
    }

    private TelegramBotClient Bot => _client.Value;

    public Task<TGFile> GetFileAsync(string fileId, CancellationToken ct) => WithTimeout("getFile", CallTimeout, c => Bot.GetFile(fileId, c), ct);

    /// <summary>Downloads a file named by <see cref="GetFileAsync"/>; null when larger than <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]?> DownloadFileAsync(string filePath, long maxBytes, CancellationToken ct)
    {
        using var buffer = new BoundedStream(maxBytes);
        try
        {
            await WithTimeout("file", TimeSpan.FromMinutes(2), async c => { await Bot.DownloadFile(filePath, buffer, c).ConfigureAwait(false); return true; }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BoundedStream.TooLargeException || (ex is RequestException && ex is not ApiRequestException))
        {
            return null;
        }

        return buffer.ToArray();
    }

    public Task<User> GetMeAsync(CancellationToken ct) => WithTimeout("getMe", CallTimeout, c => Bot.GetMe(c), ct);

    /// <summary>
    /// One poll. Each update is read on its own: one that does not match the Bot API types comes back with
    /// <see cref="TelegramIncoming.Update"/> null and the reason, so the others go on.
    /// </summary>
    public async Task<IReadOnlyList<TelegramIncoming>> GetUpdatesAsync(long? offset, int timeoutSeconds, CancellationToken ct)
    {
        var request = new RawUpdatesRequest { Offset = offset, Limit = 100, Timeout = timeoutSeconds, AllowedUpdates = AllowedUpdates };
        // The HTTP deadline must exceed the long-poll timeout.
        var elements = await WithTimeout("getUpdates", TimeSpan.FromSeconds(timeoutSeconds + 15), c => Bot.SendRequest(request, c), ct).ConfigureAwait(false);
        var updates = new List<TelegramIncoming>(elements.Length);
        foreach (var e in elements)
        {
            var id = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("update_id", out var idElement) && idElement.TryGetInt64(out var n) ? n : (long?)null;
            if (id is null)
            {
                continue; // Not an update at all: nothing to confirm or answer.
            }

            var raw = e.GetRawText();
            string? why = null;
            updates.Add(Read(id.Value, () => e.Deserialize<Update>(JsonBotAPI.Options), r => why = r) is { } update
                ? new TelegramIncoming(id.Value, update, raw, null)
                : new TelegramIncoming(id.Value, null, raw, "unreadable update: " + why));
        }

        return updates;
    }

    /// <summary>Reads one update with the library's JSON options; null when it does not match the Bot API types.</summary>
    public static Update? Read(long id, string raw, Action<string>? reason = null) =>
        Read(id, () => JsonSerializer.Deserialize<Update>(raw, JsonBotAPI.Options), reason);

    /// <summary>Reads one update already parsed (a webhook body) without parsing its text again.</summary>
    public static Update? Read(long id, JsonElement element, Action<string>? reason = null) =>
        Read(id, () => element.Deserialize<Update>(JsonBotAPI.Options), reason);

    /// <summary>The element already parsed by the poll is read as it is, not parsed again from its text.</summary>
    private static Update? Read(long id, Func<Update?> read, Action<string>? reason)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            reason?.Invoke($"update {id}: {ex.Message}");
            return null;
        }
    }

    public Task<bool> SetWebhookAsync(string url, string? secretToken, CancellationToken ct) =>
        WithTimeout("setWebhook", CallTimeout, async c => { await Bot.SetWebhook(url, allowedUpdates: AllowedUpdates, secretToken: secretToken, cancellationToken: c).ConfigureAwait(false); return true; }, ct);

    public Task<bool> DeleteWebhookAsync(CancellationToken ct) =>
        WithTimeout("deleteWebhook", CallTimeout, async c => { await Bot.DeleteWebhook(cancellationToken: c).ConfigureAwait(false); return true; }, ct);

    public Task<Message> SendMessageAsync(long chatId, string html, InlineKeyboardMarkup? keyboard, CancellationToken ct) =>
        WithTimeout("sendMessage", CallTimeout, c => Bot.SendMessage(chatId, html, ParseMode.Html, replyMarkup: keyboard, linkPreviewOptions: NoPreview, cancellationToken: c), ct);

    /// <summary>Edits a bot message in place; returns its id.</summary>
    public async Task<long> EditMessageTextAsync(long chatId, int messageId, string html, InlineKeyboardMarkup? keyboard, CancellationToken ct)
    {
        var edited = await WithTimeout("editMessageText", CallTimeout,
            c => Bot.EditMessageText(chatId, messageId, html, ParseMode.Html, replyMarkup: keyboard, linkPreviewOptions: NoPreview, cancellationToken: c), ct).ConfigureAwait(false);
        return edited.Id;
    }

    public Task<bool> AnswerCallbackQueryAsync(string callbackQueryId, CancellationToken ct) =>
        WithTimeout("answerCallbackQuery", CallTimeout, async c => { await Bot.AnswerCallbackQuery(callbackQueryId, cancellationToken: c).ConfigureAwait(false); return true; }, ct);

    public Task<bool> SetMyCommandsAsync(IEnumerable<BotCommand> commands, CancellationToken ct) =>
        WithTimeout("setMyCommands", CallTimeout, async c => { await Bot.SetMyCommands(commands, cancellationToken: c).ConfigureAwait(false); return true; }, ct);

    private static readonly LinkPreviewOptions NoPreview = new() { IsDisabled = true };

    /// <summary>A call with its own deadline; a deadline passed is a <see cref="TimeoutException"/>, the caller's cancellation stays one.</summary>
    private static async Task<T> WithTimeout<T>(string method, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            return await call(cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RequestException { InnerException: OperationCanceledException } && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Telegram {method} timed out after {timeout.TotalSeconds:0} s.", ex);
        }
    }

    /// <summary><c>getUpdates</c> answered as raw JSON elements, each read afterwards on its own.</summary>
    private sealed class RawUpdatesRequest() : RequestBase<JsonElement[]>("getUpdates")
    {
        [System.Text.Json.Serialization.JsonPropertyName("offset")]
        public long? Offset { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("limit")]
        public int? Limit { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("timeout")]
        public int? Timeout { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("allowed_updates")]
        public IEnumerable<UpdateType>? AllowedUpdates { get; init; }
    }

    /// <summary>A memory buffer that refuses to grow past a limit (a file too large for an entry is not downloaded whole).</summary>
    private sealed class BoundedStream(long max) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > max)
            {
                throw new TooLargeException();
            }

            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Length + buffer.Length > max)
            {
                throw new TooLargeException();
            }

            base.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public sealed class TooLargeException() : IOException("The file is larger than allowed.");
    }
}

/// <summary>What a Bot API error means for the caller: <see cref="ApiRequestException.ErrorCode"/> and its parameters.</summary>
public static class TelegramErrors
{
    /// <summary>True for errors worth retrying later: 429, 5xx (also a non-Bot-API 5xx answer from a proxy).</summary>
    public static bool IsTransient(this RequestException ex) => ex switch
    {
        ApiRequestException api => api.ErrorCode == 429 || api.ErrorCode >= 500,
        _ => ex.HttpStatusCode is null || (int)ex.HttpStatusCode >= 500,
    };

    public static TimeSpan? RetryAfter(this RequestException ex) =>
        ex is ApiRequestException { Parameters.RetryAfter: { } s } ? TimeSpan.FromSeconds(s) : null;

    public static int Code(this RequestException ex) => ex is ApiRequestException api ? api.ErrorCode : (int)(ex.HttpStatusCode ?? 0);
}

/// <summary>One update of a poll: parsed, or null with <see cref="ReadError"/> when it does not match the Bot API types.</summary>
public sealed record TelegramIncoming(long UpdateId, Update? Update, string Raw, string? ReadError);
