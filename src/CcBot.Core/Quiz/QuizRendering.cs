using System.Globalization;
using System.Text;
using CcBot.Core.Activities;
using CcBot.Core.Text;

namespace CcBot.Core.Quiz;

/// <summary>Builds the neutral messages of the quiz: a question with lettered options and buttons, durations, answer parsing.</summary>
public static class QuizRendering
{
    public static string Letter(int i) => ((char)('A' + i)).ToString();

    /// <summary>
    /// A question: header line, text, "A. …" lines; one button per option when a single answer is right
    /// (payload <c>{payloadPrefix}{letter index}</c>), otherwise a hint to type the letters.
    /// </summary>
    public static OutboundMessage Question(ITextCatalog texts, int number, int total, QuizQuestion question, IReadOnlyList<int> order, string payloadPrefix, TimeSpan? remaining, string? replaces)
    {
        var sb = new StringBuilder();
        sb.Append(texts.Get("quiz.question.header", ("number", number), ("total", total)));
        if (remaining is { } r)
        {
            sb.Append(' ').Append(texts.Get("quiz.question.remaining", ("time", Duration(texts, (long)Math.Max(0, r.TotalMilliseconds)))));
        }

        sb.Append('\n').Append(question.Text);
        for (var i = 0; i < order.Count; i++)
        {
            sb.Append('\n').Append(Letter(i)).Append(". ").Append(question.Options[order[i]]);
        }

        var single = question.Correct.Count == 1;
        sb.Append('\n').Append(texts.Get(single ? "quiz.question.hint_single" : "quiz.question.hint_multiple"));
        var buttons = single
            ? order.Select((_, i) => ReplyButton.Action(Letter(i), payloadPrefix + i.ToString(CultureInfo.InvariantCulture))).ToList()
            : [];
        return new OutboundMessage { Text = sb.ToString(), Buttons = buttons, ReplacesChannelMessageId = replaces };
    }

    /// <summary>"1 phút 05,3 giây" style, from milliseconds.</summary>
    public static string Duration(ITextCatalog texts, long ms)
    {
        var minutes = ms / 60_000;
        var seconds = (ms % 60_000) / 1000.0;
        var sec = seconds.ToString("0.#", CultureInfo.GetCultureInfo("vi-VN"));
        return minutes > 0
            ? texts.Get("quiz.duration.minutes", ("minutes", minutes), ("seconds", sec))
            : texts.Get("quiz.duration.seconds", ("seconds", sec));
    }

    /// <summary>Typed answer: letters ("b", "A C", "a,c") or option numbers ("2"). Null when it is not an answer.</summary>
    public static IReadOnlyCollection<int>? ParseTyped(string input, int optionCount)
    {
        var cleaned = input.Trim().ToUpperInvariant();
        if (cleaned.Length == 0 || cleaned.Length > 20)
        {
            return null;
        }

        var picked = new SortedSet<int>();
        foreach (var c in cleaned)
        {
            if (c is ' ' or ',' or ';' or '.' or '/')
            {
                continue;
            }

            var index = c is >= 'A' and <= 'Z' ? c - 'A' : c is >= '1' and <= '9' ? c - '1' : -1;
            if (index < 0 || index >= optionCount)
            {
                return null;
            }

            picked.Add(index);
        }

        return picked.Count == 0 ? null : picked;
    }

    /// <summary>The option letters of a set of original indexes, in the order shown.</summary>
    public static string Letters(IEnumerable<int> originals, IReadOnlyList<int> order) =>
        string.Join(", ", originals.Select(o => order.ToList().IndexOf(o)).Order().Select(Letter));
}
