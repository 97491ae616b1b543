using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CcBot.Core.Activities;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>What the endpoint should do with an inbound Connector activity.</summary>
public enum BotFrameworkDisposition
{
    /// <summary>Submit to the inbox as a turn.</summary>
    Turn,
    /// <summary>Acknowledge with 200 and do nothing (typing, messageUpdate, messageDelete, unknown types...).</summary>
    Ignore,
}

/// <summary>Translates Bot Framework Connector activities (protocols.md B1) to the neutral model and replies back.</summary>
public static partial class BotFrameworkWire
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Teams' practical limit for one message (protocols.md B6.4).</summary>
    public const int MaxActivityBytes = 28 * 1024;

    private static readonly JsonSerializerOptions WireJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON sent to the Connector: UTF-8 text unescaped (Vietnamese stays one to three bytes a letter, not six).</summary>
    public static string Serialize(JsonObject activity) => activity.ToJsonString(WireJson);

    /// <summary>Reads an inbound activity. Null activity with <see cref="BotFrameworkDisposition.Ignore"/> means acknowledge and drop.</summary>
    public static (InboundActivity? Activity, BotFrameworkDisposition Disposition) FromWire(JsonObject json, string rawJson, DateTimeOffset now)
    {
        var type = Str(json["type"]);
        var channel = Str(json["channelId"]) ?? "msteams";
        var conversation = json["conversation"] as JsonObject;
        var conversationId = Str(conversation?["id"]);
        var fromId = Str(json["from"]?["id"]);
        if (conversationId is null || fromId is null)
        {
            return (null, BotFrameworkDisposition.Ignore);
        }

        var recipientId = Str(json["recipient"]?["id"]);
        var conversationType = Str(conversation?["conversationType"]);
        var isGroup = Bool(conversation?["isGroup"]) ?? conversationType is "channel" or "groupChat";
        var reference = new ConversationReference(
            channel,
            conversationId,
            fromId,
            Str(json["from"]?["name"]),
            Str(json["serviceUrl"]),
            Str(conversation?["tenantId"]) ?? Str(json["channelData"]?["tenant"]?["id"]),
            recipientId,
            Str(json["recipient"]?["name"]),
            isGroup);

        var id = Str(json["id"]) ?? "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rawJson)))[..32];
        var timestamp = DateTimeOffset.TryParse(Str(json["timestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts) ? ts : now;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Str(json["replyToId"]) is { } replyTo)
        {
            properties["replyToBotMessageId"] = replyTo;
        }

        if (conversationType is { } ct)
        {
            properties["conversationType"] = ct;
        }

        InboundActivity Build(ActivityKind kind, string? text, string? value, IReadOnlyList<ActivityAttachment>? attachments = null) => new()
        {
            Channel = channel,
            Id = id,
            Kind = kind,
            From = reference,
            Text = text,
            Value = value,
            Timestamp = timestamp,
            Attachments = attachments ?? [],
            Properties = properties,
            RawJson = rawJson,
        };

        switch (type)
        {
            case "message":
            {
                var value = ButtonPayload(json["value"]);
                if (value is not null)
                {
                    return (Build(ActivityKind.ButtonClick, StripMentions(Str(json["text"])), value), BotFrameworkDisposition.Turn);
                }

                var text = StripMentions(Str(json["text"]));
                var attachments = ReadAttachments(json["attachments"]);
                return (Build(ActivityKind.Message, string.IsNullOrEmpty(text) ? null : text, null, attachments), BotFrameworkDisposition.Turn);
            }

            case "conversationUpdate":
            {
                var added = json["membersAdded"] as JsonArray;
                var botAdded = recipientId is not null && added is not null && added.Any(m => Str(m?["id"]) == recipientId);
                return botAdded
                    ? (Build(ActivityKind.ConversationStarted, null, null), BotFrameworkDisposition.Turn)
                    : (null, BotFrameworkDisposition.Ignore);
            }

            case "invoke" when Str(json["name"]) == "adaptiveCard/action":
            {
                // Teams Action.Execute (Universal Actions): value = { action: { type, verb, data } }.
                var action = json["value"]?["action"];
                var payload = ButtonPayload(action?["data"]) ?? Str(action?["verb"]);
                return payload is null
                    ? (null, BotFrameworkDisposition.Ignore)
                    : (Build(ActivityKind.ButtonClick, null, payload), BotFrameworkDisposition.Turn);
            }

            default:
                return (null, BotFrameworkDisposition.Ignore);
        }
    }

    /// <summary>Removes <c>&lt;at&gt;…&lt;/at&gt;</c> mentions (Teams channels and group chats) and trims.</summary>
    public static string? StripMentions(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var stripped = MentionRegex().Replace(text, " ").Replace("&nbsp;", " ", StringComparison.Ordinal);
        return MultiSpaceRegex().Replace(stripped, " ").Trim();
    }

    /// <summary>Button payload: <c>value</c> as a string, or its <c>action</c> field when an object (Adaptive Card submit data).</summary>
    public static string? ButtonPayload(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) => s,
        JsonObject o when Str(o["action"]) is { Length: > 0 } a => a,
        JsonObject o when Str(o["msteams"]?["value"]) is { Length: > 0 } mv => mv,
        _ => null,
    };

    /// <summary>Content type of a file a Teams user attaches in a personal chat.</summary>
    public const string TeamsFileDownloadInfo = "application/vnd.microsoft.teams.file.download.info";

    private static List<ActivityAttachment> ReadAttachments(JsonNode? node)
    {
        var list = new List<ActivityAttachment>();
        if (node is not JsonArray array)
        {
            return list;
        }

        foreach (var a in array.OfType<JsonObject>())
        {
            var contentType = Str(a["contentType"]);
            // Teams repeats the message text as a text/html attachment in channels: not a file.
            if (contentType is null || contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A Teams file upload: downloadUrl is pre-authenticated, contentUrl (SharePoint) is not.
            var url = contentType.Equals(TeamsFileDownloadInfo, StringComparison.OrdinalIgnoreCase)
                ? Str(a["content"]?["downloadUrl"]) ?? Str(a["contentUrl"])
                : Str(a["contentUrl"]) ?? Str(a["content"]?["downloadUrl"]);
            list.Add(new ActivityAttachment(contentType, Str(a["name"]), url));
        }

        return list;
    }

    /// <summary>The Connector activity for a reply (protocols.md B1.3–B1.5): from = bot, recipient = user, markdown text, buttons as an Adaptive Card.</summary>
    public static JsonObject ToWire(ConversationReference to, OutboundMessage message)
    {
        var text = ToMarkdown(message.Text);
        var activity = Render(to, message, text);
        if (Encoding.UTF8.GetByteCount(Serialize(activity)) > MaxActivityBytes)
        {
            // Too large for Teams: cut the text (never the buttons) until it fits.
            var low = 0;
            var high = text.Length;
            while (low < high)
            {
                var mid = (low + high + 1) / 2;
                var candidate = Render(to, message, text[..mid] + "…");
                if (Encoding.UTF8.GetByteCount(Serialize(candidate)) <= MaxActivityBytes)
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }

            activity = Render(to, message, text[..low] + "…");
        }

        return activity;
    }

    private static JsonObject Render(ConversationReference to, OutboundMessage message, string markdown)
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["from"] = new JsonObject { ["id"] = to.BotId, ["name"] = to.BotName },
            ["recipient"] = new JsonObject { ["id"] = to.UserId, ["name"] = to.UserName },
            ["conversation"] = new JsonObject { ["id"] = to.ConversationId, ["isGroup"] = to.IsGroup },
            ["text"] = markdown,
            ["textFormat"] = "markdown",
            ["locale"] = "vi-VN",
        };
        if (to.TenantId is not null)
        {
            activity["conversation"]!["tenantId"] = to.TenantId;
            activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = to.TenantId } };
        }

        if (message.Buttons.Count > 0)
        {
            activity["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = AdaptiveCardContentType,
                ["content"] = AdaptiveCard(message.Buttons),
            });
        }

        return activity;
    }

    /// <summary>An Adaptive Card 1.4 holding the buttons: Action.Submit with <c>data.action</c> for payloads, Action.OpenUrl for links.</summary>
    public static JsonObject AdaptiveCard(IReadOnlyList<ReplyButton> buttons)
    {
        var actions = new JsonArray();
        foreach (var b in buttons)
        {
            if (b.Url is not null)
            {
                actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = b.Title, ["url"] = b.Url });
            }
            else
            {
                actions.Add(new JsonObject
                {
                    ["type"] = "Action.Submit",
                    ["title"] = b.Title,
                    ["data"] = new JsonObject { ["action"] = b.Value ?? b.Title },
                });
            }
        }

        return new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(),
            ["actions"] = actions,
        };
    }

    /// <summary>Neutral light markup (<c>**bold**</c>, <c>\n</c>) as Teams markdown: a single newline does not break a line there, so each becomes a paragraph break.</summary>
    public static string ToMarkdown(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return NewlinesRegex().Replace(normalized, "\n\n");
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    [GeneratedRegex(@"<at(\s[^>]*)?>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex MentionRegex();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex MultiSpaceRegex();

    [GeneratedRegex(@"\n+")]
    private static partial Regex NewlinesRegex();

    internal static JsonObject? TryParse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
