using System.Security.Cryptography;
using System.Text;

namespace CcBot.Nlu;

/// <summary>Reads intent-labelled TSV files (header <c>intent&lt;TAB&gt;text</c>).</summary>
public static class TrainingData
{
    /// <summary>Loads a TSV file; throws <see cref="NluDataException"/> naming the file and line of the first bad row.</summary>
    public static IReadOnlyList<TrainingExample> LoadTsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new NluDataException(path, 0, "file not found");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    public static IReadOnlyList<TrainingExample> Parse(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var examples = new List<TrainingExample>();
        var lineNumber = 0;
        var sawHeader = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#')) continue;
            if (!sawHeader)
            {
                sawHeader = true;
                if (line.Trim().Equals("intent\ttext", StringComparison.OrdinalIgnoreCase)) continue;
                throw new NluDataException(sourceName, lineNumber, "expected header 'intent<TAB>text'");
            }

            var tab = line.IndexOf('\t');
            if (tab < 0) throw new NluDataException(sourceName, lineNumber, "missing TAB between intent and text");
            var intent = line[..tab].Trim();
            var text = line[(tab + 1)..].Trim();
            if (!IntentNames.IsKnown(intent))
            {
                throw new NluDataException(sourceName, lineNumber, $"unknown intent '{intent}' (known: {string.Join(", ", IntentNames.All)})");
            }
            if (text.Length == 0) throw new NluDataException(sourceName, lineNumber, "empty text");
            examples.Add(new TrainingExample(intent, text.Normalize(NormalizationForm.FormC)));
        }
        return examples;
    }

    /// <summary>SHA-256 (hex) of the examples in order, independent of file layout (line endings, blank lines).</summary>
    public static string ComputeHash(IEnumerable<TrainingExample> examples, string salt = "")
    {
        ArgumentNullException.ThrowIfNull(examples);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(salt + "\n"));
        foreach (var e in examples) hash.AppendData(Encoding.UTF8.GetBytes(e.Intent + "\t" + e.Text + "\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

public sealed class NluDataException : Exception
{
    public NluDataException(string file, int line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
    }

    public NluDataException()
    {
        File = string.Empty;
    }

    public NluDataException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    public NluDataException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
    }

    public string File { get; }

    public int Line { get; }
}
