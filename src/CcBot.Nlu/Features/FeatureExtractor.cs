using System.Buffers;

namespace CcBot.Nlu;

/// <summary>
/// Turns a <see cref="NormalizedText"/> into hashed sparse features: word unigrams and bigrams of both the
/// accented and the folded tokens, plus character n-grams of the folded words with boundary markers.
/// The result is L2-normalized. Thread-safe.
/// </summary>
public sealed class FeatureExtractor
{
    private const char AccentedUnigram = 'A';
    private const char FoldedUnigram = 'F';
    private const char AccentedBigram = 'B';
    private const char FoldedBigram = 'G';
    private const char CharNgram = 'C';

    private readonly FeatureOptions _options;
    private readonly int _mask;

    public FeatureExtractor(FeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _mask = options.Dimension - 1;
    }

    public FeatureOptions Options => _options;

    public int Dimension => _options.Dimension;

    /// <summary>Upper bound of raw (not yet merged) features produced for <paramref name="text"/>.</summary>
    public int MaxFeatureCount(NormalizedText text)
    {
        var n = Math.Min(text.Tokens.Count, _options.MaxTokens);
        var count = 4 * n;
        for (var i = 0; i < n; i++)
        {
            var len = text.FoldedTokens[i].Length + 2;
            for (var g = _options.MinCharNgram; g <= _options.MaxCharNgram; g++) count += Math.Max(0, len - g + 1);
        }
        return count;
    }

    /// <summary>Allocating variant for training.</summary>
    public SparseVector Extract(NormalizedText text)
    {
        using var scratch = new FeatureScratch(MaxFeatureCount(text));
        var n = Extract(text, scratch);
        return new SparseVector(scratch.Indices.AsSpan(0, n).ToArray(), scratch.Values.AsSpan(0, n).ToArray());
    }

    /// <summary>
    /// Allocation-free variant: writes unique feature indices and L2-normalized values into <paramref name="scratch"/>
    /// (which must have room for <see cref="MaxFeatureCount"/>) and returns how many were written.
    /// </summary>
    public int Extract(NormalizedText text, FeatureScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(scratch);
        var accumulator = new Accumulator(scratch, _mask);
        var n = Math.Min(text.Tokens.Count, _options.MaxTokens);
        var tokens = text.Tokens;
        var folded = text.FoldedTokens;
        Span<char> bounded = stackalloc char[66];

        for (var i = 0; i < n; i++)
        {
            var word = tokens[i];
            var fold = folded[i];
            // Accented features only for words that carry diacritics: an unaccented word is fully described by
            // its folded features, so "khong" and "không" share everything except the extra precise "không" feature.
            var accented = !ReferenceEquals(word, fold) && !word.Equals(fold, StringComparison.Ordinal);
            if (accented) accumulator.Add(FeatureHash.Add(FeatureHash.Start(AccentedUnigram), word), _options.UnigramWeight);
            accumulator.Add(FeatureHash.Add(FeatureHash.Start(FoldedUnigram), fold), _options.UnigramWeight);
            if (i > 0)
            {
                if (accented || !tokens[i - 1].Equals(folded[i - 1], StringComparison.Ordinal))
                {
                    var a = FeatureHash.Add(FeatureHash.Add(FeatureHash.Add(FeatureHash.Start(AccentedBigram), tokens[i - 1]), ' '), word);
                    accumulator.Add(a, _options.BigramWeight);
                }
                var f = FeatureHash.Add(FeatureHash.Add(FeatureHash.Add(FeatureHash.Start(FoldedBigram), folded[i - 1]), ' '), fold);
                accumulator.Add(f, _options.BigramWeight);
            }

            // Character n-grams over "<word>"; very long tokens (URLs) only contribute their first 64 chars.
            var len = Math.Min(fold.Length, bounded.Length - 2);
            bounded[0] = '<';
            fold.AsSpan(0, len).CopyTo(bounded[1..]);
            bounded[len + 1] = '>';
            var chars = bounded[..(len + 2)];
            for (var g = _options.MinCharNgram; g <= _options.MaxCharNgram; g++)
            {
                for (var s = 0; s + g <= chars.Length; s++)
                {
                    accumulator.Add(FeatureHash.Add(FeatureHash.Start(CharNgram), chars.Slice(s, g)), _options.CharNgramWeight);
                }
            }
        }

        return accumulator.Complete();
    }

    private ref struct Accumulator
    {
        private readonly int[] _indices;
        private readonly float[] _values;
        private readonly int[] _table;
        private readonly int _tableMask;
        private readonly int _mask;
        private int _count;

        public Accumulator(FeatureScratch scratch, int mask)
        {
            _indices = scratch.Indices;
            _values = scratch.Values;
            _table = scratch.Table;
            _tableMask = scratch.Table.Length - 1;
            _mask = mask;
            _count = 0;
        }

        public void Add(uint hash, float weight)
        {
            if (weight == 0f) return;
            var index = (int)(FeatureHash.Finish(hash) & (uint)_mask);
            var slot = (int)((uint)index * 2654435761u >> 7) & _tableMask;
            while (true)
            {
                var entry = _table[slot];
                if (entry == 0)
                {
                    if (_count >= _indices.Length) return; // capacity guard; MaxFeatureCount makes this unreachable
                    _indices[_count] = index;
                    _values[_count] = weight;
                    _table[slot] = ++_count;
                    return;
                }
                if (_indices[entry - 1] == index)
                {
                    _values[entry - 1] += weight;
                    return;
                }
                slot = (slot + 1) & _tableMask;
            }
        }

        public readonly int Complete()
        {
            double norm = 0;
            for (var i = 0; i < _count; i++) norm += (double)_values[i] * _values[i];
            Array.Clear(_table);
            if (norm > 0)
            {
                var inv = (float)(1.0 / Math.Sqrt(norm));
                for (var i = 0; i < _count; i++) _values[i] *= inv;
            }
            return _count;
        }
    }
}

/// <summary>Pooled buffers for <see cref="FeatureExtractor.Extract(NormalizedText, FeatureScratch)"/>. Not thread-safe; dispose to return them.</summary>
public sealed class FeatureScratch : IDisposable
{
    public FeatureScratch(int capacity)
    {
        capacity = Math.Max(capacity, 16);
        Indices = ArrayPool<int>.Shared.Rent(capacity);
        Values = ArrayPool<float>.Shared.Rent(capacity);
        var tableSize = 64;
        while (tableSize < capacity * 2) tableSize <<= 1;
        Table = ArrayPool<int>.Shared.Rent(tableSize);
        if ((Table.Length & (Table.Length - 1)) != 0)
        {
            ArrayPool<int>.Shared.Return(Table);
            Table = new int[tableSize];
        }
        Array.Clear(Table);
    }

    public int[] Indices { get; }

    public float[] Values { get; }

    /// <summary>Open-addressing table (power-of-two length), all zero between calls.</summary>
    public int[] Table { get; }

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(Indices);
        ArrayPool<float>.Shared.Return(Values);
        ArrayPool<int>.Shared.Return(Table);
    }
}
