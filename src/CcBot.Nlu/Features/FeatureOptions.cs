namespace CcBot.Nlu;

/// <summary>Settings of <see cref="FeatureExtractor"/>. Stored in the model file: a model only works with the options it was trained with.</summary>
public sealed record FeatureOptions
{
    /// <summary>Number of hash buckets is 2^HashBits (default 2^18 = 262,144).</summary>
    public int HashBits { get; init; } = 18;

    public int MinCharNgram { get; init; } = 3;

    public int MaxCharNgram { get; init; } = 5;

    /// <summary>Weight of word unigram features (accented and folded).</summary>
    public float UnigramWeight { get; init; } = 1.0f;

    /// <summary>Weight of word bigram features (accented and folded).</summary>
    public float BigramWeight { get; init; } = 0.7f;

    /// <summary>Weight of character n-gram features over folded words with boundary markers ("&lt;khong&gt;").</summary>
    public float CharNgramWeight { get; init; } = 0.3f;

    /// <summary>Only the first MaxTokens tokens produce features.</summary>
    public int MaxTokens { get; init; } = 96;

    public int Dimension => 1 << HashBits;

    public void Validate()
    {
        if (HashBits is < 8 or > 24) throw new ArgumentOutOfRangeException(nameof(HashBits), HashBits, "HashBits must be in 8..24.");
        if (MinCharNgram < 1 || MaxCharNgram < MinCharNgram || MaxCharNgram > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCharNgram), "Character n-gram range must satisfy 1 ≤ min ≤ max ≤ 8.");
        }
        if (MaxTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxTokens));
    }
}
