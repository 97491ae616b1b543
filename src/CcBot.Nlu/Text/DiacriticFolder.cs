using System.Globalization;
using System.Text;

namespace CcBot.Nlu;

/// <summary>
/// The one diacritic folder of CcBot: removes Vietnamese (and other Latin) diacritics, "Được" → "Duoc", "đ" → "d",
/// from NFC and NFD text alike. <see cref="FoldForMatching"/> is the form every keyword, name and answer comparison uses.
/// </summary>
public static class DiacriticFolder
{
    // Lookup table for U+0000..U+1EFF built once from the Unicode decomposition; never mutated afterwards.
    private const int TableSize = 0x1F00;
    private static readonly char[] Table = BuildTable();

    /// <summary>Folds one character; combining marks fold to '\0' (meaning: drop).</summary>
    public static char Fold(char c)
    {
        if (c < 0x80) return c;
        if (c >= 0x0300 && c <= 0x036F) return '\0';
        return c < TableSize ? Table[c] : c;
    }

    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var needs = false;
        foreach (var c in text)
        {
            if (c >= 0x80) { needs = true; break; }
        }
        if (!needs) return text;

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var f = Fold(c);
            if (f != '\0') sb.Append(f);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Text for comparisons: lower case, diacritics removed, every run of characters other than letters and digits
    /// one space, trimmed. "Đ/c Vũ Thị — KHÁNH HOÀ!" → "d c vu thi khanh hoa".
    /// </summary>
    public static string FoldForMatching(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        var space = true;
        foreach (var ch in text)
        {
            var f = Fold(char.ToLowerInvariant(ch));
            if (f == '\0') continue;
            if (char.IsLetterOrDigit(f))
            {
                sb.Append(f);
                space = false;
            }
            else if (!space)
            {
                sb.Append(' ');
                space = true;
            }
        }
        return sb.ToString().TrimEnd();
    }

    private static char[] BuildTable()
    {
        var table = new char[TableSize];
        for (var i = 0; i < TableSize; i++)
        {
            var c = (char)i;
            table[i] = c;
            if (i < 0x80 || char.IsSurrogate(c)) continue;
            if (c == 'đ') { table[i] = 'd'; continue; }
            if (c == 'Đ') { table[i] = 'D'; continue; }
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            if (decomposed.Length > 1 && decomposed[0] < 0x80
                && CharUnicodeInfo.GetUnicodeCategory(decomposed[1]) == UnicodeCategory.NonSpacingMark)
            {
                table[i] = decomposed[0];
            }
        }
        return table;
    }
}
