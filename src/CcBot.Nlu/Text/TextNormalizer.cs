using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace CcBot.Nlu;

/// <summary>
/// Normalizes a chat message: NFC, lowercase, emoji and punctuation removed, letter floods collapsed
/// ("hellooo" → "hello", "cchc" kept), chat abbreviations expanded ("ko" → "không", "dc" → "được"),
/// and a diacritic-folded view ("không" → "khong"). Thread-safe and stateless.
/// </summary>
public sealed class TextNormalizer
{
    /// <summary>Longer inputs are cut to this many characters before processing (a chat message never needs more).</summary>
    public const int DefaultMaxInputChars = 4000;

    private readonly FrozenDictionary<string, string> _abbreviations;
    private readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxInputChars;

    public TextNormalizer()
        : this(AbbreviationTable.Default)
    {
    }

    public TextNormalizer(IReadOnlyDictionary<string, string> abbreviations, int maxInputChars = DefaultMaxInputChars)
    {
        ArgumentNullException.ThrowIfNull(abbreviations);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInputChars, 1);
        _abbreviations = abbreviations as FrozenDictionary<string, string>
            ?? abbreviations.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = _abbreviations.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxInputChars = maxInputChars;
    }

    public NormalizedText Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return NormalizedText.Empty;

        var source = ToNfc(text.Length > _maxInputChars ? text[.._maxInputChars] : text);
        var tokens = new List<string>(Math.Min(64, source.Length / 3 + 1));
        var buffer = ArrayPool<char>.Shared.Rent(source.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (IsTokenChar(c) || (length > 0 && IsJoiner(source, i)))
                {
                    buffer[length++] = char.ToLowerInvariant(c);
                }
                else if (length > 0)
                {
                    AddToken(buffer.AsSpan(0, length), tokens);
                    length = 0;
                }
            }
            if (length > 0) AddToken(buffer.AsSpan(0, length), tokens);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        if (tokens.Count == 0) return NormalizedText.Empty;

        // A trailing bare "a" is the politeness particle "ạ" typed without marks ("khong dc a"), not "anh".
        if (tokens.Count > 1 && tokens[^1] == "anh" && EndsWithBareA(source)) tokens[^1] = "ạ";

        var folded = new string[tokens.Count];
        for (var i = 0; i < tokens.Count; i++) folded[i] = DiacriticFolder.Fold(tokens[i]);
        return new NormalizedText(string.Join(' ', tokens), string.Join(' ', folded), tokens, folded);
    }

    private static string ToNfc(string s)
    {
        try
        {
            return s.IsNormalized(NormalizationForm.FormC) ? s : s.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates make normalization throw: drop them (they are emoji halves anyway).
            var sb = new StringBuilder(s.Length);
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    sb.Append(c).Append(s[++i]);
                }
                else if (!char.IsSurrogate(c))
                {
                    sb.Append(c);
                }
            }
            return sb.ToString().Normalize(NormalizationForm.FormC);
        }
    }

    private static bool IsTokenChar(char c)
    {
        if (c < 0x80) return char.IsAsciiLetterOrDigit(c);
        if (char.IsSurrogate(c)) return false;
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.NonSpacingMark;
    }

    /// <summary>Keeps '.', '/', '-' between digits (phone numbers, dates) and '@' between letters/digits (e-mails).</summary>
    private static bool IsJoiner(string s, int i)
    {
        var c = s[i];
        if (i == 0 || i + 1 >= s.Length) return false;
        var prev = s[i - 1];
        var next = s[i + 1];
        return c switch
        {
            '.' or '/' or '-' => char.IsAsciiDigit(prev) && char.IsAsciiDigit(next),
            '@' => char.IsAsciiLetterOrDigit(prev) && char.IsAsciiLetterOrDigit(next),
            _ => false,
        };
    }

    private static bool EndsWithBareA(string source)
    {
        var end = source.Length - 1;
        while (end >= 0 && !char.IsLetterOrDigit(source[end])) end--;
        return end >= 0 && (source[end] == 'a' || source[end] == 'A') && (end == 0 || !char.IsLetterOrDigit(source[end - 1]));
    }

    private void AddToken(Span<char> raw, List<string> tokens)
    {
        var length = CollapseFloods(raw);
        var token = raw[..length];
        if (!_lookup.TryGetValue(token, out var expansion))
        {
            // "koo", "dcc": a doubled letter on top of an abbreviation.
            var reduced = CollapseDoubles(token, stackalloc char[Math.Min(token.Length, 16)]);
            if (reduced.Length > 0 && reduced.Length < token.Length) _lookup.TryGetValue(reduced, out expansion);
        }

        if (expansion is null)
        {
            tokens.Add(new string(token));
            return;
        }

        foreach (var part in expansion.Split(' ', StringSplitOptions.RemoveEmptyEntries)) tokens.Add(part);
    }

    /// <summary>Runs of 3 or more identical letters become one letter; doubles are kept ("cchc"). Digits are left alone.</summary>
    private static int CollapseFloods(Span<char> token)
    {
        var write = 0;
        var read = 0;
        while (read < token.Length)
        {
            var c = token[read];
            var run = 1;
            while (read + run < token.Length && token[read + run] == c) run++;
            var keep = char.IsDigit(c) || run <= 2 ? run : 1;
            for (var k = 0; k < keep; k++) token[write++] = c;
            read += run;
        }
        return write;
    }

    private static ReadOnlySpan<char> CollapseDoubles(ReadOnlySpan<char> token, Span<char> target)
    {
        if (token.Length > target.Length) return [];
        var write = 0;
        for (var i = 0; i < token.Length; i++)
        {
            if (i > 0 && token[i] == token[i - 1] && char.IsLetter(token[i])) continue;
            target[write++] = token[i];
        }
        return target[..write];
    }
}
