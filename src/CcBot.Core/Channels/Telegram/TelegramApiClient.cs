using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.Telegram;

/// <summary>A Bot API error: <c>{ok:false, error_code, description, parameters}</c>. Branch on <see cref="ErrorCode"/> and the parameters; the description is for logs.</summary>
public sealed class TelegramApiException(string method, int errorCode, string? description, TimeSpan? retryAfter = null, long? migrateToChatId = null)
    : Exception($"Telegram {method} failed: {errorCode} {description}")
{
    public string Method { get; } = method;
    public int ErrorCode { get; } = errorCode;
    public string? Description { get; } = description;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public long? MigrateToChatId { get; } = migrateToChatId;

    /// <summary>True for errors worth retrying later: 429, 5xx.</summary>
    public bool IsTransient => ErrorCode == 429 || ErrorCode >= 500;
}

/// <summary>The Bot API over plain HTTP + System.Text.Json: <c>POST {ApiBaseUrl}/bot{token}/{method}</c> with a JSON body.</summary>
public sealed class TelegramApiClient
{
    public static readonly string[] AllowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"];

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly string _fileBaseUrl;

    public TelegramApiClient(HttpClient http, IOptions<TelegramOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        var o = options.Value;
        _baseUrl = o.ApiBaseUrl.TrimEnd('/') + "/bot" + o.BotToken + "/";
        _fileBaseUrl = o.ApiBaseUrl.TrimEnd('/') + "/file/bot" + o.BotToken + "/";
    }

    public Task<TgFile> GetFileAsync(string fileId, CancellationToken ct) =>
        CallAsync("getFile", new TgGetFileRequest { FileId = fileId }, TelegramJson.Default.TgGetFileRequest, TelegramJson.Default.TgFile, CallTimeout, ct);

    /// <summary>Downloads a file named by <see cref="GetFileAsync"/> (<c>GET {ApiBaseUrl}/file/bot{token}/{file_path}</c>); null when larger than <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]?> DownloadFileAsync(string filePath, long maxBytes, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMinutes(2));
        using var response = await _http.GetAsync(_fileBaseUrl + filePath, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > maxBytes)
        {
            return null;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
        return bytes.LongLength > maxBytes ? null : bytes;
    }

    public Task<TgUser> GetMeAsync(CancellationToken ct) =>
        CallAsync("getMe", new TgEmptyRequest(), TelegramJson.Default.TgEmptyRequest, TelegramJson.Default.TgUser, CallTimeout, ct);

    /// <summary>Long poll: returns each update as raw JSON (kept in the transcript) with its parsed form.</summary>
    /// <summary>
    /// One poll. Each update is read on its own: one that does not match the Bot API types comes back with
    /// <see cref="TelegramIncoming.Update"/> null and the reason, so the others go on.
    /// </summary>
    public async Task<IReadOnlyList<TelegramIncoming>> GetUpdatesAsync(long? offset, int timeoutSeconds, CancellationToken ct)
    {
        var request = new TgGetUpdatesRequest { Offset = offset, Limit = 100, Timeout = timeoutSeconds, AllowedUpdates = AllowedUpdates };
        // The HTTP timeout must exceed the long-poll timeout.
        var elements = await CallAsync("getUpdates", request, TelegramJson.Default.TgGetUpdatesRequest, TelegramJson.Default.ListJsonElement,
            TimeSpan.FromSeconds(timeoutSeconds + 15), ct).ConfigureAwait(false);
        var updates = new List<TelegramIncoming>(elements.Count);
        foreach (var e in elements)
        {
            var id = e.ValueKind == System.Text.Json.JsonValueKind.Object && e.TryGetProperty("update_id", out var idElement) && idElement.TryGetInt64(out var n) ? n : (long?)null;
            if (id is null)
            {
                continue; // Not an update at all: nothing to confirm or answer.
            }

            try
            {
                updates.Add(new TelegramIncoming(id.Value, e.Deserialize(TelegramJson.Default.TgUpdate), e.GetRawText(), null));
            }
            catch (System.Text.Json.JsonException ex)
            {
                updates.Add(new TelegramIncoming(id.Value, null, e.GetRawText(), "unreadable update: " + ex.Message));
            }
        }

        return updates;
    }

    public Task<bool> SetWebhookAsync(string url, string? secretToken, CancellationToken ct) =>
        CallAsync("setWebhook", new TgSetWebhookRequest { Url = url, SecretToken = secretToken, AllowedUpdates = AllowedUpdates },
            TelegramJson.Default.TgSetWebhookRequest, TelegramJson.Default.Boolean, CallTimeout, ct);

    public Task<bool> DeleteWebhookAsync(CancellationToken ct) =>
        CallAsync("deleteWebhook", new TgDeleteWebhookRequest(), TelegramJson.Default.TgDeleteWebhookRequest, TelegramJson.Default.Boolean, CallTimeout, ct);

    public Task<TgMessage> SendMessageAsync(TgSendMessageRequest request, CancellationToken ct) =>
        CallAsync("sendMessage", request, TelegramJson.Default.TgSendMessageRequest, TelegramJson.Default.TgMessage, CallTimeout, ct);

    /// <summary>Edits a bot message. Returns the message id (the result is a Message for chat messages).</summary>
    public async Task<long> EditMessageTextAsync(TgEditMessageTextRequest request, CancellationToken ct)
    {
        var result = await CallAsync("editMessageText", request, TelegramJson.Default.TgEditMessageTextRequest, TelegramJson.Default.JsonElement, CallTimeout, ct).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Object && result.TryGetProperty("message_id", out var id) ? id.GetInt64() : request.MessageId;
    }

    public Task<bool> AnswerCallbackQueryAsync(string callbackQueryId, CancellationToken ct) =>
        CallAsync("answerCallbackQuery", new TgAnswerCallbackQueryRequest { CallbackQueryId = callbackQueryId },
            TelegramJson.Default.TgAnswerCallbackQueryRequest, TelegramJson.Default.Boolean, CallTimeout, ct);

    public Task<bool> SetMyCommandsAsync(IEnumerable<TgBotCommand> commands, CancellationToken ct) =>
        CallAsync("setMyCommands", new TgSetMyCommandsRequest { Commands = [.. commands] },
            TelegramJson.Default.TgSetMyCommandsRequest, TelegramJson.Default.Boolean, CallTimeout, ct);

    private async Task<TResult> CallAsync<TRequest, TResult>(
        string method, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResult> resultType, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        TgResponse? envelope;
        try
        {
            using var response = await _http.PostAsync(_baseUrl + method, content, cts.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
            try
            {
                envelope = JsonSerializer.Deserialize(bytes, TelegramJson.Default.TgResponse);
            }
            catch (JsonException)
            {
                envelope = null;
            }

            if (envelope is null)
            {
                // Not a Bot API envelope (a proxy error page...): transient when 5xx, else a plain error.
                throw new TelegramApiException(method, (int)response.StatusCode, "unexpected response body");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Telegram {method} timed out after {timeout.TotalSeconds:0} s.");
        }

        if (!envelope.Ok)
        {
            var p = envelope.Parameters;
            throw new TelegramApiException(method, envelope.ErrorCode ?? 0, envelope.Description,
                p?.RetryAfter is { } s ? TimeSpan.FromSeconds(s) : null, p?.MigrateToChatId);
        }

        if (envelope.Result is not { } result)
        {
            throw new TelegramApiException(method, 0, "response without result");
        }

        return result.Deserialize(resultType)!;
    }
}

/// <summary>One update of a poll: parsed, or null with <see cref="ReadError"/> when it does not match the Bot API types.</summary>
public sealed record TelegramIncoming(long UpdateId, TgUpdate? Update, string Raw, string? ReadError);
