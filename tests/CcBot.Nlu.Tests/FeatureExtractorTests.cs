using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

public sealed class FeatureExtractorTests
{
    private readonly TextNormalizer _normalizer = new();
    private readonly FeatureExtractor _extractor = new(new FeatureOptions());

    [Fact]
    public void Produces_unique_indices_in_range_and_unit_norm()
    {
        var v = _extractor.Extract(_normalizer.Normalize("Cho tôi hỏi thể lệ cuộc thi thể lệ"));
        v.Indices.Should().OnlyHaveUniqueItems();
        v.Indices.Should().OnlyContain(i => i >= 0 && i < (1 << 18));
        var norm = Math.Sqrt(v.Values.Sum(x => (double)x * x));
        norm.Should().BeApproximately(1.0, 1e-5);
    }

    [Fact]
    public void Hashing_is_deterministic_and_stable()
    {
        // FNV-1a is fixed: these values must never change, or saved models silently break.
        FeatureHash.Add(FeatureHash.OffsetBasis, "a").Should().Be(0xE40C292Cu);
        var a = _extractor.Extract(_normalizer.Normalize("số điện thoại ban tổ chức"));
        var b = new FeatureExtractor(new FeatureOptions()).Extract(_normalizer.Normalize("số điện thoại ban tổ chức"));
        a.Indices.Should().Equal(b.Indices);
        a.Values.Should().Equal(b.Values);
    }

    [Fact]
    public void Accented_and_unaccented_text_share_most_features()
    {
        var accented = _extractor.Extract(_normalizer.Normalize("không được đăng nhập"));
        var folded = _extractor.Extract(_normalizer.Normalize("khong duoc dang nhap"));
        var shared = accented.Indices.Intersect(folded.Indices).Count();
        shared.Should().Be(folded.Indices.Length, "every feature of the unaccented text also comes from the accented one");
        accented.Indices.Length.Should().BeGreaterThan(folded.Indices.Length, "accented words add precise features");
    }

    [Fact]
    public void Empty_text_gives_no_features()
    {
        _extractor.Extract(NormalizedText.Empty).Count.Should().Be(0);
    }

    [Fact]
    public void Hash_bits_are_configurable()
    {
        var small = new FeatureExtractor(new FeatureOptions { HashBits = 10 });
        small.Extract(_normalizer.Normalize("thể lệ cuộc thi")).Indices.Should().OnlyContain(i => i < 1024);
    }
}
