using System.Text;

namespace CcBot.Nlu;

/// <summary>Reads FAQ TSV files: header <c>id&lt;TAB&gt;question&lt;TAB&gt;answer&lt;TAB&gt;source</c>, optional 5th column <c>contest_id</c>. A literal <c>\n</c> in the answer is a line break.</summary>
public static class FaqData
{
    public static IReadOnlyList<FaqDocument> LoadTsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new NluDataException(path, 0, "file not found");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    public static IReadOnlyList<FaqDocument> Parse(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var documents = new List<FaqDocument>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        var sawHeader = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#')) continue;
            var cells = line.Split('\t');
            if (!sawHeader)
            {
                sawHeader = true;
                if (cells.Length >= 4 && cells[0].Trim() == "id" && cells[1].Trim() == "question" && cells[2].Trim() == "answer") continue;
                throw new NluDataException(sourceName, lineNumber, "expected header 'id<TAB>question<TAB>answer<TAB>source'");
            }
            if (cells.Length < 3) throw new NluDataException(sourceName, lineNumber, "expected at least 3 TAB-separated columns (id, question, answer)");
            var id = cells[0].Trim();
            var question = cells[1].Trim();
            var answer = cells[2].Trim().Replace("\\n", "\n", StringComparison.Ordinal);
            if (id.Length == 0) throw new NluDataException(sourceName, lineNumber, "empty id");
            if (question.Length == 0) throw new NluDataException(sourceName, lineNumber, "empty question");
            if (answer.Length == 0) throw new NluDataException(sourceName, lineNumber, "empty answer");
            if (!ids.Add(id)) throw new NluDataException(sourceName, lineNumber, $"duplicate id '{id}'");
            var source = cells.Length > 3 && cells[3].Trim().Length > 0 ? cells[3].Trim() : null;
            var contest = cells.Length > 4 && cells[4].Trim().Length > 0 ? cells[4].Trim() : null;
            documents.Add(new FaqDocument(id, question.Normalize(NormalizationForm.FormC), answer.Normalize(NormalizationForm.FormC), source, contest));
        }
        return documents;
    }
}
