namespace CcBot.Core.Activities;

/// <summary>What an inbound activity is, independent of the channel it came from.</summary>
public enum ActivityKind
{
    /// <summary>A text message typed by the user (may be empty when only attachments came).</summary>
    Message,
    /// <summary>A button press: <see cref="InboundActivity.Value"/> holds the button payload.</summary>
    ButtonClick,
    /// <summary>The user opened the conversation (Direct Line conversationUpdate, Teams install, Telegram /start).</summary>
    ConversationStarted,
    /// <summary>The user edited an earlier message.</summary>
    EditedMessage,
    /// <summary>Something the bot cannot read (sticker, voice, location...). The bot answers with a hint.</summary>
    Unsupported,
    /// <summary>A signal that is not a message (a Web Chat event, a reaction): stored with the transcript, never answered.</summary>
    Event,
}

/// <summary>A file or link the user sent.</summary>
public sealed record ActivityAttachment(string ContentType, string? Name, string? Url, long? Size = null);

/// <summary>
/// Everything needed to message a user later without being asked (a proactive message):
/// the channel, its conversation id and, for Bot Framework channels, the service URL, tenant and bot account.
/// </summary>
public sealed record ConversationReference(
    string Channel,
    string ConversationId,
    string UserId,
    string? UserName = null,
    string? ServiceUrl = null,
    string? TenantId = null,
    string? BotId = null,
    string? BotName = null,
    bool IsGroup = false)
{
    /// <summary>Key that orders a conversation's turns: channel and conversation id.</summary>
    public string ConversationKey => Channel + ":" + ConversationId;
}

/// <summary>One inbound activity in channel-neutral form, as produced by a channel adapter.</summary>
public sealed record InboundActivity
{
    /// <summary>Channel id: <c>directline</c>, <c>telegram</c>, <c>msteams</c>, <c>console</c>...</summary>
    public required string Channel { get; init; }

    /// <summary>The channel's own id for this activity; (Channel, Id) is the de-duplication key.</summary>
    public required string Id { get; init; }

    public required ActivityKind Kind { get; init; }

    public required ConversationReference From { get; init; }

    public string? Text { get; init; }

    /// <summary>Button payload for <see cref="ActivityKind.ButtonClick"/>.</summary>
    public string? Value { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public IReadOnlyList<ActivityAttachment> Attachments { get; init; } = [];

    /// <summary>
    /// Channel-neutral extras: <c>start</c> (deep-link payload that preselects a contest),
    /// <c>replyToBotMessageId</c> (the bot message a button belonged to, for edit-in-place), ...
    /// </summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyProperties;

    /// <summary>The raw wire payload, kept in the transcript so nothing the channel sent is lost.</summary>
    public string? RawJson { get; init; }

    public string ConversationKey => From.ConversationKey;

    /// <summary>Property of a <see cref="ActivityKind.ConversationStarted"/> that came from the client joining (Web Chat): greeted only once per conversation.</summary>
    public const string JoinProperty = "join";

    public static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();
}

/// <summary>A button on a reply. Either a payload that comes back as <see cref="ActivityKind.ButtonClick"/>, or a link.</summary>
public sealed record ReplyButton(string Title, string? Value = null, string? Url = null)
{
    public static ReplyButton Action(string title, string value) => new(title, value);
    public static ReplyButton Link(string title, string url) => new(title, null, url);
}

/// <summary>A channel-neutral reply: text (light markup: **bold** and line breaks only), buttons, and hints for the adapter.</summary>
public sealed record OutboundMessage
{
    public required string Text { get; init; }

    public IReadOnlyList<ReplyButton> Buttons { get; init; } = [];

    /// <summary>When set, the adapter should replace this earlier bot message (Telegram editMessageText) instead of sending a new one.</summary>
    public string? ReplacesChannelMessageId { get; init; }

    public static OutboundMessage Plain(string text) => new() { Text = text };
}

/// <summary>An outbound message after it was persisted: <see cref="Seq"/> is its transcript row.</summary>
public sealed record StoredOutbound(long Seq, string ActivityId, OutboundMessage Message, DateTimeOffset CreatedAt);
