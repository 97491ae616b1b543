namespace CcBot.Nlu;

public sealed record FaqIndexOptions
{
    /// <summary>BM25 term-frequency saturation.</summary>
    public double K1 { get; init; } = 1.2;

    /// <summary>BM25 length normalization.</summary>
    public double B { get; init; } = 0.75;

    /// <summary>Weight of answer terms relative to question terms (BM25F-style weighted term frequency).</summary>
    public double AnswerWeight { get; init; } = 0.25;
}
