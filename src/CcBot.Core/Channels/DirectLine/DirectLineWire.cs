using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;

namespace CcBot.Core.Channels.DirectLine;

/// <summary>Translates between Direct Line 3.0 activities (JSON) and the neutral model / transcript rows.</summary>
public static class DirectLineWire
{
    public const string Channel = "directline";
    public const string BotId = "ccbot";
    public const string BotName = "CcBot";

    /// <summary>The wire id of a transcript row: unique, stable, identical over GET and WebSocket.</summary>
    public static string WireId(string conversationId, long seq) => conversationId + "|" + seq.ToString("D7", CultureInfo.InvariantCulture);

    private static readonly IReadOnlyDictionary<string, string> JoinProperties = new Dictionary<string, string> { [InboundActivity.JoinProperty] = "1" };

    public static string ConversationKey(string conversationId) => Channel + ":" + conversationId;

    /// <summary>Reads a client activity. Returns an error text for a body the bot cannot take.</summary>
    public static (InboundActivity? Activity, string? Error) FromWire(JsonObject json, DirectLineGrant grant, DateTimeOffset now, IReadOnlyList<ActivityAttachment>? uploaded = null)
    {
        var type = json["type"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts : null;
        if (string.IsNullOrEmpty(type))
        {
            return (null, "The activity has no 'type'.");
        }

        if (type is not ("message" or "typing" or "event" or "conversationUpdate" or "messageReaction" or "invoke"))
        {
            return (null, $"Activity type '{type}' is not supported.");
        }

        var clientId = Str(json["channelData"]?["clientActivityID"]) ?? Str(json["id"]);
        var dedupeId = string.IsNullOrWhiteSpace(clientId) ? "srv-" + Guid.NewGuid().ToString("N") : clientId!;
        var userName = Str(json["from"]?["name"]);
        var reference = new ConversationReference(Channel, grant.ConversationId, grant.UserId, userName, BotId: BotId, BotName: BotName);
        var text = Str(json["text"]);
        var value = ButtonPayload(json);
        var attachments = uploaded ?? ReadAttachments(json);
        // Web Chat announces a joining user with a `webchat/join` event or a conversationUpdate: both count as the
        // conversation's start (the bot greets once per conversation); other events and reactions are stored, not answered.
        var joins = type == "conversationUpdate" || (type == "event" && Str(json["name"]) == "webchat/join");
        var kind = type switch
        {
            "message" when value is not null => ActivityKind.ButtonClick,
            "message" => ActivityKind.Message,
            _ when joins => ActivityKind.ConversationStarted,
            _ => ActivityKind.Event,
        };

        return (new InboundActivity
        {
            Channel = Channel,
            Id = dedupeId,
            Kind = kind,
            From = reference,
            Text = text,
            Value = value,
            Timestamp = now,
            Attachments = attachments,
            RawJson = json.ToJsonString(),
            Properties = joins ? JoinProperties : InboundActivity.EmptyProperties,
        }, null);
    }

    /// <summary>
    /// The button payload of a message: <c>value</c> as a string, or its <c>action</c> field when an object
    /// (Adaptive Card submit), or the text of a postBack.
    /// </summary>
    private static string? ButtonPayload(JsonObject json)
    {
        switch (json["value"])
        {
            case JsonValue v when v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s):
                return s;
            case JsonObject o when Str(o["action"]) is { Length: > 0 } a:
                return a;
        }

        return json["channelData"]?["postBack"] is JsonValue pb && pb.TryGetValue<bool>(out var isPostBack) && isPostBack
            ? Str(json["text"])
            : null;
    }

    private static List<ActivityAttachment> ReadAttachments(JsonObject json)
    {
        var list = new List<ActivityAttachment>();
        if (json["attachments"] is JsonArray arr)
        {
            foreach (var a in arr.OfType<JsonObject>())
            {
                list.Add(new ActivityAttachment(Str(a["contentType"]) ?? "application/octet-stream", Str(a["name"]), Str(a["contentUrl"])));
            }
        }

        return list;
    }

    /// <summary>A transcript row as the Direct Line activity Web Chat renders; null for rows never shown (conversation start).</summary>
    public static JsonObject? ToWire(TranscriptEntry e, string conversationId, string userId)
    {
        var id = WireId(conversationId, e.Seq);
        var timestamp = e.CreatedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        if (e.Inbound)
        {
            if (e.Kind == nameof(ActivityKind.ConversationStarted) || e.Payload is null)
            {
                return null;
            }

            var inbound = PipelineJson.InboundFrom(e.Text, e.Payload);
            var wire = inbound.RawJson is { } raw && JsonNode.Parse(raw) is JsonObject o ? o : new JsonObject { ["type"] = "message", ["text"] = e.Text };
            if (Str(wire["type"]) != "message")
            {
                return null;
            }

            wire["id"] = id;
            wire["timestamp"] = timestamp;
            wire["channelId"] = Channel;
            wire["conversation"] = new JsonObject { ["id"] = conversationId };
            wire["from"] = new JsonObject { ["id"] = userId, ["name"] = Str(wire["from"]?["name"]), ["role"] = "user" };
            wire["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = BotName, ["role"] = "bot" };
            return wire;
        }

        var message = PipelineJson.OutboundFrom(e.Text, e.Payload);
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = id,
            ["timestamp"] = timestamp,
            ["channelId"] = Channel,
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["from"] = new JsonObject { ["id"] = BotId, ["name"] = BotName, ["role"] = "bot" },
            ["recipient"] = new JsonObject { ["id"] = userId, ["role"] = "user" },
            ["locale"] = "vi-VN",
            ["textFormat"] = "markdown",
            ["text"] = ToMarkdown(message.Text),
        };
        if (e.ReplyToSeq is { } replyTo)
        {
            // The server id of the message this answers, as Bot Framework bots set it: a client pairs reply and question.
            activity["replyToId"] = WireId(conversationId, replyTo);
        }

        if (message.Buttons.Count > 0)
        {
            var actions = new JsonArray();
            foreach (var b in message.Buttons)
            {
                actions.Add(b.Url is not null
                    ? new JsonObject { ["type"] = "openUrl", ["title"] = b.Title, ["value"] = b.Url }
                    : new JsonObject { ["type"] = "messageBack", ["title"] = b.Title, ["text"] = b.Title, ["displayText"] = b.Title, ["value"] = b.Value });
            }

            activity["suggestedActions"] = new JsonObject { ["actions"] = actions, ["to"] = new JsonArray(userId) };
        }

        return activity;
    }

    /// <summary>Line breaks survive Markdown rendering as hard breaks.</summary>
    public static string ToMarkdown(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "  \n", StringComparison.Ordinal);

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
