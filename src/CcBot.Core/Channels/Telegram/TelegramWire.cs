using System.Text.Json;
using System.Text.Json.Serialization;

namespace CcBot.Core.Channels.Telegram;

// The subset of the Bot API types the adapter reads and writes (https://core.telegram.org/bots/api#available-types).
// Ids are long: user and chat ids take up to 52 bits and group ids are negative.

public sealed class TgResponse
{
    public bool Ok { get; set; }
    public JsonElement? Result { get; set; }
    public int? ErrorCode { get; set; }
    public string? Description { get; set; }
    public TgResponseParameters? Parameters { get; set; }
}

public sealed class TgResponseParameters
{
    public int? RetryAfter { get; set; }
    public long? MigrateToChatId { get; set; }
}

public sealed class TgUpdate
{
    public long UpdateId { get; set; }
    public TgMessage? Message { get; set; }
    public TgMessage? EditedMessage { get; set; }
    public TgCallbackQuery? CallbackQuery { get; set; }
    public TgChatMemberUpdated? MyChatMember { get; set; }
}

public sealed class TgUser
{
    public long Id { get; set; }
    public bool IsBot { get; set; }
    public string FirstName { get; set; } = "";
    public string? LastName { get; set; }
    public string? Username { get; set; }
    public string? LanguageCode { get; set; }
}

public sealed class TgChat
{
    public long Id { get; set; }
    public string Type { get; set; } = "private";
    public string? Title { get; set; }
    public string? Username { get; set; }
}

public sealed class TgMessageEntity
{
    public string Type { get; set; } = "";
    public int Offset { get; set; }
    public int Length { get; set; }
}

public sealed class TgDocument
{
    public string FileId { get; set; } = "";
    public string? FileName { get; set; }
    public string? MimeType { get; set; }
    public long? FileSize { get; set; }
}

public sealed class TgPhotoSize
{
    public string FileId { get; set; } = "";
    public long? FileSize { get; set; }
}

public sealed class TgMessage
{
    public long MessageId { get; set; }
    public TgUser? From { get; set; }
    public TgChat? SenderChat { get; set; }
    public TgChat Chat { get; set; } = new();
    public long Date { get; set; }
    public string? Text { get; set; }
    public string? Caption { get; set; }
    public List<TgMessageEntity>? Entities { get; set; }
    public List<TgMessageEntity>? CaptionEntities { get; set; }
    public TgMessage? ReplyToMessage { get; set; }
    public TgDocument? Document { get; set; }
    public List<TgPhotoSize>? Photo { get; set; }
    public JsonElement? Sticker { get; set; }
    public JsonElement? Voice { get; set; }
    public JsonElement? Audio { get; set; }
    public JsonElement? Video { get; set; }
    public JsonElement? VideoNote { get; set; }
    public JsonElement? Animation { get; set; }
    public JsonElement? Location { get; set; }
    public JsonElement? Venue { get; set; }
    public JsonElement? Contact { get; set; }
    public JsonElement? Poll { get; set; }
    public long? MigrateToChatId { get; set; }
}

public sealed class TgCallbackQuery
{
    public string Id { get; set; } = "";
    public TgUser From { get; set; } = new();
    public TgMessage? Message { get; set; }
    public string? InlineMessageId { get; set; }
    public string? ChatInstance { get; set; }
    public string? Data { get; set; }
}

public sealed class TgChatMemberUpdated
{
    public TgChat Chat { get; set; } = new();
    public TgUser From { get; set; } = new();
    public long Date { get; set; }
    public TgChatMember? NewChatMember { get; set; }
}

public sealed class TgChatMember
{
    public string Status { get; set; } = "";
}

public sealed class TgInlineKeyboardMarkup
{
    public List<List<TgInlineKeyboardButton>> InlineKeyboard { get; set; } = [];
}

public sealed class TgInlineKeyboardButton
{
    public string Text { get; set; } = "";
    public string? CallbackData { get; set; }
    public string? Url { get; set; }
}

public sealed class TgLinkPreviewOptions
{
    public bool IsDisabled { get; set; }
}

public sealed class TgBotCommand
{
    public string Command { get; set; } = "";
    public string Description { get; set; } = "";
}

// Requests.

public sealed class TgGetUpdatesRequest
{
    public long? Offset { get; set; }
    public int? Limit { get; set; }
    public int Timeout { get; set; }
    public string[]? AllowedUpdates { get; set; }
}

public sealed class TgSendMessageRequest
{
    public long ChatId { get; set; }
    public string Text { get; set; } = "";
    public string? ParseMode { get; set; }
    public TgLinkPreviewOptions? LinkPreviewOptions { get; set; }
    public TgInlineKeyboardMarkup? ReplyMarkup { get; set; }
}

public sealed class TgEditMessageTextRequest
{
    public long ChatId { get; set; }
    public long MessageId { get; set; }
    public string Text { get; set; } = "";
    public string? ParseMode { get; set; }
    public TgLinkPreviewOptions? LinkPreviewOptions { get; set; }
    public TgInlineKeyboardMarkup? ReplyMarkup { get; set; }
}

public sealed class TgAnswerCallbackQueryRequest
{
    public string CallbackQueryId { get; set; } = "";
    public string? Text { get; set; }
}

public sealed class TgSetWebhookRequest
{
    public string Url { get; set; } = "";
    public string? SecretToken { get; set; }
    public string[]? AllowedUpdates { get; set; }
    public bool? DropPendingUpdates { get; set; }
}

public sealed class TgDeleteWebhookRequest
{
    public bool? DropPendingUpdates { get; set; }
}

public sealed class TgSetMyCommandsRequest
{
    public List<TgBotCommand> Commands { get; set; } = [];
}

public sealed class TgEmptyRequest;

public sealed class TgGetFileRequest
{
    public string FileId { get; set; } = "";
}

public sealed class TgFile
{
    public string FileId { get; set; } = "";
    public long? FileSize { get; set; }
    public string? FilePath { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TgResponse))]
[JsonSerializable(typeof(TgUpdate))]
[JsonSerializable(typeof(List<TgUpdate>))]
[JsonSerializable(typeof(List<JsonElement>))]
[JsonSerializable(typeof(TgUser))]
[JsonSerializable(typeof(TgMessage))]
[JsonSerializable(typeof(TgGetUpdatesRequest))]
[JsonSerializable(typeof(TgSendMessageRequest))]
[JsonSerializable(typeof(TgEditMessageTextRequest))]
[JsonSerializable(typeof(TgAnswerCallbackQueryRequest))]
[JsonSerializable(typeof(TgSetWebhookRequest))]
[JsonSerializable(typeof(TgDeleteWebhookRequest))]
[JsonSerializable(typeof(TgSetMyCommandsRequest))]
[JsonSerializable(typeof(TgEmptyRequest))]
[JsonSerializable(typeof(TgGetFileRequest))]
[JsonSerializable(typeof(TgFile))]
[JsonSerializable(typeof(bool))]
public sealed partial class TelegramJson : JsonSerializerContext;
