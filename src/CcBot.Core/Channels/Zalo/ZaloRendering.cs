using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CcBot.Core.Activities;

namespace CcBot.Core.Channels.Zalo;

/// <summary>
/// Neutral replies as Zalo customer-service messages: plain text (Zalo has no markup, so <c>**bold**</c> loses its
/// stars), at most 2,000 characters per message (split on paragraphs, then lines, then words), buttons as a template
/// attachment on the last part: actions as <c>oa.query.hide</c> with our payload prefix, links as <c>oa.open.url</c>.
/// Zalo shows at most 5 buttons: more go in further messages of 5 under a short line.
/// </summary>
public static partial class ZaloRendering
{
    public const int MaxTextLength = 2000;
    public const int MaxButtons = 5;
    public const int MaxPayloadLength = 1000;
    public const string MoreChoices = "Lựa chọn khác:";

    public static IReadOnlyList<JsonObject> Render(string userId, OutboundMessage message)
    {
        var text = Bold().Replace(message.Text.Replace("\r\n", "\n", StringComparison.Ordinal), "$1");
        var parts = Split(text, MaxTextLength);
        var buttons = message.Buttons.Where(b => b.Url is not null || (b.Value is { } v && ZaloEvents.ButtonPrefix.Length + v.Length <= MaxPayloadLength)).ToList();
        var groups = buttons.Chunk(MaxButtons).ToList();
        var bodies = new List<JsonObject>();
        for (var i = 0; i < parts.Count; i++)
        {
            var last = i == parts.Count - 1;
            bodies.Add(Body(userId, parts[i], last && groups.Count > 0 ? groups[0] : null));
        }

        foreach (var group in groups.Skip(1))
        {
            bodies.Add(Body(userId, MoreChoices, group));
        }

        return bodies;
    }

    private static JsonObject Body(string userId, string text, IEnumerable<ReplyButton>? buttons)
    {
        var message = new JsonObject { ["text"] = text };
        if (buttons is not null)
        {
            var array = new JsonArray();
            foreach (var b in buttons)
            {
                var title = b.Title.Length > 100 ? b.Title[..100] : b.Title;
                array.Add(b.Url is { } url
                    ? new JsonObject { ["title"] = title, ["type"] = "oa.open.url", ["payload"] = new JsonObject { ["url"] = url } }
                    : new JsonObject { ["title"] = title, ["type"] = "oa.query.hide", ["payload"] = ZaloEvents.ButtonPrefix + b.Value });
            }

            message["attachment"] = new JsonObject { ["type"] = "template", ["payload"] = new JsonObject { ["buttons"] = array } };
        }

        return new JsonObject { ["recipient"] = new JsonObject { ["user_id"] = userId }, ["message"] = message };
    }

    /// <summary>Parts of at most <paramref name="max"/> characters, cut at a paragraph, else a line, else a space, else hard.</summary>
    public static IReadOnlyList<string> Split(string text, int max)
    {
        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > max)
        {
            var window = rest.AsSpan(0, max);
            var cut = window.LastIndexOf("\n\n");
            if (cut < max / 2) cut = window.LastIndexOf('\n');
            if (cut < max / 2) cut = window.LastIndexOf(' ');
            if (cut < max / 2) cut = char.IsLowSurrogate(rest[max]) ? max - 1 : max;
            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0 || parts.Count == 0)
        {
            parts.Add(rest);
        }

        return parts;
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*", RegexOptions.Singleline)]
    private static partial Regex Bold();
}
