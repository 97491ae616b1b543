namespace CcBot.Nlu;

/// <summary>Deterministic 32-bit FNV-1a over UTF-16 code units, with a murmur3 finalizer for well-mixed low bits.</summary>
public static class FeatureHash
{
    public const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static uint Start(char kind) => Add(OffsetBasis, kind);

    public static uint Add(uint state, char c) => (state ^ c) * Prime;

    public static uint Add(uint state, ReadOnlySpan<char> chars)
    {
        foreach (var c in chars) state = (state ^ c) * Prime;
        return state;
    }

    public static uint Finish(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
