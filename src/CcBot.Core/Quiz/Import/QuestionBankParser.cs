using System.Globalization;
using CcBot.Core.Dialogs;

namespace CcBot.Core.Quiz.Import;

/// <summary>Why a row (or the file) was refused. Row 0 means the whole file.</summary>
public sealed record ImportError(int Row, string Code, string Message)
{
    public override string ToString() => Row == 0 ? $"file: {Code}: {Message}" : string.Create(CultureInfo.InvariantCulture, $"row {Row}: {Code}: {Message}");
}

/// <summary>The questions a file holds and every problem found, row by row.</summary>
public sealed record BankParseResult(IReadOnlyList<QuizQuestion> Questions, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Turns a table into questions. Columns: <c>question</c>, <c>a</c>..<c>f</c> (2 to 6 options, A and B required, no gap),
/// <c>correct</c> (letters, e.g. "B" or "A,C"), <c>explanation</c>, <c>topic</c>, <c>source</c>.
/// </summary>
public static class QuestionBankParser
{
    public const int MaxOptions = 6;

    private static readonly string[] OptionColumns = ["a", "b", "c", "d", "e", "f"];

    public static BankParseResult Parse(string contestId, TabularData table)
    {
        var errors = new List<ImportError>();
        if (table.SheetError is { } sheetError)
        {
            errors.Add(new ImportError(0, "wrong_sheet", sheetError));
            return new BankParseResult([], errors);
        }

        var col = table.Headers.Select((h, i) => (h, i)).GroupBy(x => Alias(x.h)).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        foreach (var required in new[] { "question", "a", "b", "correct", "source" })
        {
            if (!col.ContainsKey(required))
            {
                errors.Add(new ImportError(0, "missing_column", $"no column '{required}' in the header row"));
            }
        }

        if (errors.Count > 0)
        {
            return new BankParseResult([], errors);
        }

        var questions = new List<QuizQuestion>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var rowErrors = new List<ImportError>();
            var text = row.Get(col["question"]);
            var options = new List<string>();
            var gap = -1;
            for (var i = 0; i < OptionColumns.Length; i++)
            {
                var value = col.TryGetValue(OptionColumns[i], out var c) ? row.Get(c) : string.Empty;
                if (value.Length == 0)
                {
                    gap = gap < 0 ? i : gap;
                    continue;
                }

                if (gap >= 0)
                {
                    rowErrors.Add(new ImportError(row.Number, "empty_option", $"option {Letter(gap)} is empty but option {Letter(i)} is filled"));
                    break;
                }

                options.Add(value);
            }

            if (text.Length == 0)
            {
                rowErrors.Add(new ImportError(row.Number, "missing_question", "the question text is empty"));
            }

            if (options.Count < 2 && rowErrors.Count == 0)
            {
                rowErrors.Add(new ImportError(row.Number, "empty_option", "at least options A and B are needed"));
            }

            var correctText = row.Get(col["correct"]);
            var correct = new List<int>();
            if (correctText.Length == 0)
            {
                rowErrors.Add(new ImportError(row.Number, "missing_correct", "no correct answer given"));
            }
            else
            {
                foreach (var part in correctText.Split([',', ';', ' ', '/'], StringSplitOptions.RemoveEmptyEntries))
                {
                    var letter = part.Trim().ToUpperInvariant();
                    var index = letter.Length == 1 ? letter[0] - 'A' : -1;
                    if (index < 0 || index >= MaxOptions)
                    {
                        rowErrors.Add(new ImportError(row.Number, "bad_correct", $"'{part}' is not an option letter A-F"));
                    }
                    else if (index >= options.Count)
                    {
                        rowErrors.Add(new ImportError(row.Number, "missing_correct", $"the correct answer {letter} points to an empty option"));
                    }
                    else if (!correct.Contains(index))
                    {
                        correct.Add(index);
                    }
                }
            }

            var source = row.Get(col["source"]);
            if (source.Length == 0)
            {
                rowErrors.Add(new ImportError(row.Number, "missing_source", "every question must name its source document"));
            }

            if (options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count)
            {
                rowErrors.Add(new ImportError(row.Number, "duplicate_option", "two options have the same text"));
            }

            var key = CcBot.Nlu.DiacriticFolder.FoldForMatching(text);
            if (text.Length > 0 && seen.TryGetValue(key, out var firstRow))
            {
                rowErrors.Add(new ImportError(row.Number, "duplicate_question", string.Create(CultureInfo.InvariantCulture, $"same question as row {firstRow}")));
            }
            else if (text.Length > 0)
            {
                seen[key] = row.Number;
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }

            correct.Sort();
            questions.Add(new QuizQuestion(0, contestId, text, options, correct, Optional(row, col, "explanation"), Optional(row, col, "topic"), source));
        }

        if (table.Rows.Count == 0)
        {
            errors.Add(new ImportError(0, "empty", "the file holds no questions"));
        }

        return new BankParseResult(questions, errors);
    }

    private static string? Optional(TabularRow row, Dictionary<string, int> col, string name) =>
        col.TryGetValue(name, out var c) && row.Get(c) is { Length: > 0 } v ? v : null;

    private static char Letter(int i) => (char)('A' + i);

    /// <summary>Accepts "option_a", "A", "đáp án A"-style headers for the options and a few Vietnamese names.</summary>
    private static string Alias(string header)
    {
        var h = CcBot.Nlu.DiacriticFolder.FoldForMatching(header.Replace('_', ' ')).Replace(" ", string.Empty, StringComparison.Ordinal);
        return h switch
        {
            "question" or "cauhoi" or "noidung" => "question",
            "a" or "optiona" or "dapana" or "phuongana" => "a",
            "b" or "optionb" or "dapanb" or "phuonganb" => "b",
            "c" or "optionc" or "dapanc" or "phuonganc" => "c",
            "d" or "optiond" or "dapand" or "phuongand" => "d",
            "e" or "optione" or "dapane" or "phuongane" => "e",
            "f" or "optionf" or "dapanf" or "phuonganf" => "f",
            "correct" or "dapandung" or "answer" => "correct",
            "explanation" or "giaithich" => "explanation",
            "topic" or "chude" => "topic",
            "source" or "nguon" or "cancu" => "source",
            _ => h,
        };
    }
}
