using System.Globalization;
using System.Text.Json;
using CcBot.Core.Activities;

namespace CcBot.Core.Channels.Zalo;

/// <summary>What to do with one webhook event.</summary>
public enum ZaloEventDisposition
{
    /// <summary>A participant's message, button or follow: a turn.</summary>
    Turn,

    /// <summary>Understood and acknowledged, nothing to handle (the OA's own messages, reactions, seen receipts…).</summary>
    Ignore,

    /// <summary>Not a Zalo event body: 400.</summary>
    Invalid,
}

/// <summary>A parsed webhook event: the fields the signature check needs, and the activity it becomes.</summary>
public sealed record ZaloEvent(string AppId, string Timestamp, string EventName, ZaloEventDisposition Disposition, InboundActivity? Activity);

/// <summary>Maps Zalo OA webhook events (v3) to channel-neutral activities. Nothing past this class knows the event shapes.</summary>
public static class ZaloEvents
{
    public const string Channel = "zalo";

    /// <summary>Payload prefix of our buttons (<c>oa.query.hide</c>): the user's click comes back as a text with this prefix.</summary>
    public const string ButtonPrefix = "#cc:";

    public static ZaloEvent? Parse(string rawBody)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(rawBody);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var appId = Text(root, "app_id");
        var timestamp = Text(root, "timestamp");
        var eventName = Text(root, "event_name");
        if (appId is null || timestamp is null || eventName is null)
        {
            return null;
        }

        var at = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and < 32503680000000
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : (DateTimeOffset?)null;
        if (at is null)
        {
            return new ZaloEvent(appId, timestamp, eventName, ZaloEventDisposition.Invalid, null);
        }

        var (disposition, activity) = eventName switch
        {
            "user_send_text" => Message(root, eventName, at.Value, rawBody),
            "user_send_image" or "user_send_file" or "user_send_audio" or "user_send_video" or "user_send_gif" or "user_send_sticker" or "user_send_link" or "user_send_location"
                => Message(root, eventName, at.Value, rawBody),
            "follow" => Follow(root, at.Value, rawBody),
            _ => (ZaloEventDisposition.Ignore, null), // oa_send_*, unfollow, user_seen_message, reactions…: acknowledged, not a turn
        };
        return new ZaloEvent(appId, timestamp, eventName, disposition, activity);
    }

    /// <summary>The event time from its <c>timestamp</c> (epoch milliseconds).</summary>
    public static DateTimeOffset? Time(ZaloEvent e) =>
        long.TryParse(e.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static (ZaloEventDisposition, InboundActivity?) Message(JsonElement root, string eventName, DateTimeOffset at, string raw)
    {
        var sender = root.TryGetProperty("sender", out var s) ? Text(s, "id") : null;
        if (sender is null || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return (ZaloEventDisposition.Invalid, null);
        }

        // A redelivery carries the same msg_id; an event without one is keyed by what identifies it.
        var id = Text(message, "msg_id") ?? $"{eventName}:{sender}:{Text(root, "timestamp")}";
        var text = Text(message, "text");
        var attachments = new List<ActivityAttachment>();
        if (message.TryGetProperty("attachments", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in list.EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var type = Text(a, "type") ?? "file";
                var payload = a.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                var url = payload.ValueKind == JsonValueKind.Object ? Text(payload, "url") : null;
                var name = payload.ValueKind == JsonValueKind.Object ? Text(payload, "name") : null;
                long? size = payload.ValueKind == JsonValueKind.Object && long.TryParse(Text(payload, "size"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
                attachments.Add(new ActivityAttachment(ContentType(type, name), name, url, size));
            }
        }

        var reference = new ConversationReference(Channel, sender, sender);
        var isButton = text is not null && text.StartsWith(ButtonPrefix, StringComparison.Ordinal);
        var kind = isButton ? ActivityKind.ButtonClick
            : text is not null || attachments.Count > 0 ? ActivityKind.Message
            : ActivityKind.Unsupported;
        var activity = new InboundActivity
        {
            Channel = Channel,
            Id = id,
            Kind = kind,
            From = reference,
            Text = isButton ? null : text,
            Value = isButton ? text![ButtonPrefix.Length..] : null,
            Timestamp = at,
            Attachments = attachments,
            RawJson = raw,
        };
        return (ZaloEventDisposition.Turn, activity);
    }

    private static (ZaloEventDisposition, InboundActivity?) Follow(JsonElement root, DateTimeOffset at, string raw)
    {
        var follower = root.TryGetProperty("follower", out var f) && f.ValueKind == JsonValueKind.Object ? Text(f, "id") : null;
        if (follower is null)
        {
            return (ZaloEventDisposition.Invalid, null);
        }

        var activity = new InboundActivity
        {
            Channel = Channel,
            Id = $"follow:{follower}:{Text(root, "timestamp")}",
            Kind = ActivityKind.ConversationStarted,
            From = new ConversationReference(Channel, follower, follower),
            Timestamp = at,
            RawJson = raw,
        };
        return (ZaloEventDisposition.Turn, activity);
    }

    private static string ContentType(string zaloType, string? name) => zaloType switch
    {
        "image" or "gif" or "sticker" => "image/jpeg",
        "audio" => "audio/mpeg",
        "video" => "video/mp4",
        _ => Path.GetExtension(name ?? "").ToLowerInvariant() switch
        {
            ".pdf" => "application/pdf",
            ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".doc" => "application/msword",
            ".zip" => "application/zip",
            _ => "application/octet-stream",
        },
    };

    private static string? Text(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };
    }
}
