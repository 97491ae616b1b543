using System.Text;
using System.Text.RegularExpressions;

namespace CcBot.Core.Channels.Telegram;

/// <summary>
/// Renders the neutral light markup (<c>**bold**</c>, line breaks) as Telegram HTML and splits long texts.
/// Every character of user and contest text is escaped first; the only tag produced is <c>&lt;b&gt;</c>.
/// </summary>
public static partial class TelegramHtml
{
    /// <summary>Telegram's limit for one message text.</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>Escapes the three characters the HTML parse mode reserves.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Light markup → Telegram HTML: escape, then <c>**x**</c> → <c>&lt;b&gt;x&lt;/b&gt;</c>.</summary>
    public static string Render(string text)
    {
        var escaped = Escape(text.Replace("\r\n", "\n", StringComparison.Ordinal));
        return Bold().Replace(escaped, "<b>$1</b>");
    }

    /// <summary>
    /// Splits rendered HTML into parts of at most <paramref name="max"/> characters: on paragraph boundaries,
    /// else line boundaries, else hard, never inside a tag or an entity; a bold span cut in two is closed and reopened.
    /// </summary>
    public static IReadOnlyList<string> Split(string html, int max = MaxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 32);
        if (html.Length <= max)
        {
            return [html];
        }

        // Room for a closing </b> and a reopening <b> added by the balance fix-up.
        var budget = max - 7;
        var parts = new List<string>();
        var rest = html;
        while (rest.Length > budget)
        {
            var cut = FindCut(rest, budget);
            parts.Add(rest[..cut].TrimEnd('\n'));
            rest = rest[cut..].TrimStart('\n');
        }

        if (rest.Length > 0)
        {
            parts.Add(rest);
        }

        return Balance(parts.Where(p => p.Length > 0).ToList());
    }

    private static int FindCut(string text, int budget)
    {
        var window = text.AsSpan(0, budget + 1);
        var paragraph = window.LastIndexOf("\n\n");
        if (paragraph > budget / 4)
        {
            return paragraph;
        }

        var line = window.LastIndexOf('\n');
        if (line > budget / 4)
        {
            return line;
        }

        var space = window.LastIndexOf(' ');
        var cut = space > budget / 2 ? space : budget;
        return SafeCut(text, cut);
    }

    /// <summary>Moves a cut position back so it is not inside a tag or an entity, nor between a surrogate pair.</summary>
    private static int SafeCut(string text, int cut)
    {
        var lt = text.LastIndexOf('<', cut - 1);
        if (lt >= 0 && text.IndexOf('>', lt) is var gt && (gt < 0 || gt >= cut))
        {
            cut = lt;
        }

        var amp = text.LastIndexOf('&', cut - 1);
        if (amp >= 0 && cut - amp <= 8 && text.IndexOf(';', amp) is var semi && (semi < 0 || semi >= cut))
        {
            cut = amp;
        }

        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return Math.Max(1, cut);
    }

    private static List<string> Balance(List<string> parts)
    {
        var result = new List<string>(parts.Count);
        var carryOpen = false;
        foreach (var raw in parts)
        {
            var part = carryOpen ? "<b>" + raw : raw;
            var open = CountOf(part, "<b>") > CountOf(part, "</b>");
            result.Add(open ? part + "</b>" : part);
            carryOpen = open;
        }

        return result;
    }

    private static int CountOf(string text, string value)
    {
        var n = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*", RegexOptions.Singleline)]
    private static partial Regex Bold();
}
