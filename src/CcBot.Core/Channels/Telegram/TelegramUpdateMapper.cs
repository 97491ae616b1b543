using System.Globalization;
using CcBot.Core.Activities;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CcBot.Core.Channels.Telegram;

/// <summary>Who the bot is on Telegram (from getMe at start-up, or configuration).</summary>
public sealed class TelegramBotIdentity
{
    private volatile string? _username;
    private long _id;

    public string? Username => _username;

    public long Id => Interlocked.Read(ref _id);

    public void Set(long id, string? username)
    {
        Interlocked.Exchange(ref _id, id);
        _username = username;
    }
}

/// <summary>
/// Telegram Update → <see cref="InboundActivity"/>. Private chats: everything. Groups: only commands, messages
/// mentioning the bot (mention stripped) and replies to the bot; the rest is not for the bot and maps to null.
/// </summary>
public static class TelegramUpdateMapper
{
    public const string Channel = "telegram";
    public const string CallbackIdProperty = "telegram.callback_id";

    /// <summary>Maps an update; <paramref name="callbackPayload"/> is the decoded callback data (after <c>cb:</c> indirection).</summary>
    public static InboundActivity? Map(Update update, string? rawJson, TelegramBotIdentity bot, DateTimeOffset now, string? callbackPayload = null)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(bot);
        var id = update.Id.ToString(CultureInfo.InvariantCulture);
        if (update.CallbackQuery is { } cq)
        {
            return MapCallback(cq, id, rawJson, now, callbackPayload);
        }

        var edited = update.Message is null && update.EditedMessage is not null;
        var message = update.Message ?? update.EditedMessage;
        return message is null ? null : MapMessage(message, edited, id, rawJson, bot);
    }

    private static InboundActivity? MapCallback(CallbackQuery cq, string id, string? rawJson, DateTimeOffset now, string? payload)
    {
        if (cq.Message is not { } message)
        {
            return null; // A button of an inline-mode message: no chat to answer in.
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CallbackIdProperty] = cq.Id,
            ["replyToBotMessageId"] = message.Id.ToString(CultureInfo.InvariantCulture),
        };
        return new InboundActivity
        {
            Channel = Channel,
            Id = id,
            Kind = ActivityKind.ButtonClick,
            From = Reference(message.Chat, cq.From),
            Value = payload ?? cq.Data,
            Timestamp = now,
            Properties = properties,
            RawJson = rawJson,
        };
    }

    private static InboundActivity? MapMessage(Message message, bool edited, string id, string? rawJson, TelegramBotIdentity bot)
    {
        if (message.Chat.Type == ChatType.Channel || message.From is null || message.From.IsBot)
        {
            return null;
        }

        var isGroup = message.Chat.Type is ChatType.Group or ChatType.Supergroup;
        // A document or photo is a message with its file; its caption is its text (a contest entry sent as a file).
        var text = message.Text ?? message.Caption;
        var entities = message.Text is not null ? message.Entities : message.CaptionEntities;
        var attachments = Attachments(message);
        var unsupported = text is null && attachments.Count == 0 && HasUnreadableContent(message);
        if (text is null && attachments.Count == 0 && !unsupported)
        {
            return null; // Service messages (members joined, title changed...).
        }

        if (isGroup)
        {
            var addressed = IsReplyToBot(message, bot);
            if (text is not null)
            {
                if (IsCommand(text, bot.Username, out var otherBot))
                {
                    if (otherBot)
                    {
                        return null;
                    }

                    addressed = true;
                }
                else if (StripMention(text, entities, bot.Username) is { } stripped)
                {
                    text = stripped;
                    addressed = true;
                }
            }

            if (!addressed)
            {
                return null;
            }
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["telegram.message_id"] = message.Id.ToString(CultureInfo.InvariantCulture),
        };
        if (edited)
        {
            properties["edited"] = "true";
        }

        return new InboundActivity
        {
            Channel = Channel,
            Id = id,
            Kind = unsupported ? ActivityKind.Unsupported : edited ? ActivityKind.EditedMessage : ActivityKind.Message,
            From = Reference(message.Chat, message.From),
            Text = text,
            Timestamp = new DateTimeOffset(DateTime.SpecifyKind(message.Date, DateTimeKind.Utc)),
            Attachments = attachments,
            Properties = properties,
            RawJson = rawJson,
        };
    }

    /// <summary>The conversation reference: conversation = chat id, user = sender id.</summary>
    public static ConversationReference Reference(Chat chat, User from) => new(
        Channel,
        chat.Id.ToString(CultureInfo.InvariantCulture),
        from.Id.ToString(CultureInfo.InvariantCulture),
        string.IsNullOrWhiteSpace(from.LastName) ? from.FirstName : from.FirstName + " " + from.LastName,
        IsGroup: chat.Type is ChatType.Group or ChatType.Supergroup);

    private static bool HasUnreadableContent(Message m) =>
        m.Sticker is not null || m.Voice is not null || m.Audio is not null
        || m.Video is not null || m.VideoNote is not null || m.Animation is not null || m.Location is not null || m.Venue is not null
        || m.Contact is not null || m.Poll is not null;

    private static List<ActivityAttachment> Attachments(Message m)
    {
        var list = new List<ActivityAttachment>();
        if (m.Document is { } d)
        {
            // file_id is enough to download the file later (getFile); documents may become contest entries.
            list.Add(new ActivityAttachment(d.MimeType ?? "application/octet-stream", d.FileName, "telegram-file:" + d.FileId, d.FileSize));
        }

        if (m.Photo is { Length: > 0 } photos)
        {
            var largest = photos[^1];
            list.Add(new ActivityAttachment("image/jpeg", null, "telegram-file:" + largest.FileId, largest.FileSize));
        }

        return list;
    }

    private static bool IsReplyToBot(Message m, TelegramBotIdentity bot) =>
        m.ReplyToMessage?.From is { IsBot: true } author
        && ((bot.Id != 0 && author.Id == bot.Id) || (bot.Username is not null && string.Equals(author.Username, bot.Username, StringComparison.OrdinalIgnoreCase)));

    /// <summary>True for <c>/cmd</c> and <c>/cmd@bot</c>; <paramref name="otherBot"/> when addressed to another bot.</summary>
    private static bool IsCommand(string text, string? botUsername, out bool otherBot)
    {
        otherBot = false;
        if (text.Length < 2 || text[0] != '/' || !char.IsAsciiLetterOrDigit(text[1]))
        {
            return false;
        }

        var end = text.IndexOfAny([' ', '\n', '\t']);
        var command = end < 0 ? text : text[..end];
        var at = command.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            otherBot = botUsername is null || !command[(at + 1)..].Equals(botUsername, StringComparison.OrdinalIgnoreCase);
        }

        return true;
    }

    /// <summary>The text without the bot's @mention, or null when the bot is not mentioned.</summary>
    private static string? StripMention(string text, MessageEntity[]? entities, string? botUsername)
    {
        if (string.IsNullOrEmpty(botUsername))
        {
            return null;
        }

        var mention = "@" + botUsername;
        foreach (var e in entities ?? [])
        {
            // Offsets and lengths are UTF-16 code units, like .NET strings.
            if (e.Type == MessageEntityType.Mention && e.Offset >= 0 && e.Offset + e.Length <= text.Length
                && text.AsSpan(e.Offset, e.Length).Equals(mention, StringComparison.OrdinalIgnoreCase))
            {
                return (text[..e.Offset] + text[(e.Offset + e.Length)..]).Trim();
            }
        }

        var i = text.IndexOf(mention, StringComparison.OrdinalIgnoreCase);
        var after = i + mention.Length;
        return i >= 0 && (after == text.Length || !(char.IsLetterOrDigit(text[after]) || text[after] == '_'))
            ? (text[..i] + text[after..]).Trim()
            : null;
    }
}
