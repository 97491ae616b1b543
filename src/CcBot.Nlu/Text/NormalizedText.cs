namespace CcBot.Nlu;

/// <summary>
/// A message after normalization. <see cref="Accented"/> keeps Vietnamese diacritics (NFC, lowercase,
/// abbreviations expanded); <see cref="Folded"/> is the same text with every diacritic removed and đ → d.
/// Token lists are aligned: <c>FoldedTokens[i]</c> is the folded form of <c>Tokens[i]</c>.
/// </summary>
public sealed record NormalizedText(
    string Accented,
    string Folded,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<string> FoldedTokens)
{
    public static NormalizedText Empty { get; } = new(string.Empty, string.Empty, [], []);

    public bool IsEmpty => Tokens.Count == 0;
}
