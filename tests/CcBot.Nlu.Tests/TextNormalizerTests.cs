using System.Text;
using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

public sealed class TextNormalizerTests
{
    private readonly TextNormalizer _normalizer = new();

    [Fact]
    public void Nfd_and_nfc_input_give_the_same_output()
    {
        const string text = "Cho tôi hỏi thể lệ cuộc thi Khánh Hòa được không?";
        var nfc = _normalizer.Normalize(text.Normalize(NormalizationForm.FormC));
        var nfd = _normalizer.Normalize(text.Normalize(NormalizationForm.FormD));

        text.Normalize(NormalizationForm.FormD).Should().NotBe(text.Normalize(NormalizationForm.FormC));
        nfd.Accented.Should().Be(nfc.Accented);
        nfd.Folded.Should().Be(nfc.Folded);
        nfc.Accented.Should().Be("cho tôi hỏi thể lệ cuộc thi khánh hòa được không");
        nfc.Accented.IsNormalized(NormalizationForm.FormC).Should().BeTrue();
    }

    [Fact]
    public void Unaccented_teencode_and_accented_text_fold_to_the_same_form()
    {
        _normalizer.Normalize("Khong dc a").Folded.Should().Be(_normalizer.Normalize("Không được ạ").Folded);
        _normalizer.Normalize("ko").Folded.Should().Be("khong");
        _normalizer.Normalize("không").Folded.Should().Be("khong");
        _normalizer.Normalize("khong").Folded.Should().Be("khong");
    }

    [Theory]
    [InlineData("ko biết", "không biết")]
    [InlineData("e muốn hỏi j", "em muốn hỏi gì")]
    [InlineData("cho xin sdt btc", "cho xin số điện thoại ban tổ chức")]
    [InlineData("sđt", "số điện thoại")]
    [InlineData("thi ntn", "thi như thế nào")]
    [InlineData("cchc và tthc", "cải cách hành chính và thủ tục hành chính")]
    [InlineData("nộp qua dvc đc k", "nộp qua dịch vụ công được không")]
    [InlineData("bn người", "bao nhiêu người")]
    [InlineData("a ơi mk đi vs bạn r", "anh ơi mình đi với bạn rồi")]
    [InlineData("hok bít", "không biết")]
    public void Expands_chat_abbreviations(string input, string expected)
    {
        _normalizer.Normalize(input).Accented.Should().Be(expected);
    }

    [Theory]
    [InlineData("hellooo", "hello")]
    [InlineData("khôngggg", "không")]
    [InlineData("cchc", "cải cách hành chính")]
    [InlineData("okkkk", "ok")]
    [InlineData("koooo", "không")]
    [InlineData("2000", "2000")]
    public void Collapses_letter_floods_but_keeps_doubles(string input, string expected)
    {
        _normalizer.Normalize(input).Accented.Should().Be(expected);
    }

    [Fact]
    public void Strips_emoji_and_punctuation()
    {
        var result = _normalizer.Normalize("Chào bot!!! 😀😀 Cuộc thi... thế nào???");
        result.Accented.Should().Be("chào bot cuộc thi thế nào");
        result.Folded.Should().Be("chao bot cuoc thi the nao");
        result.Tokens.Should().HaveCount(result.FoldedTokens.Count);
    }

    [Fact]
    public void Keeps_phone_numbers_and_emails_together()
    {
        var result = _normalizer.Normalize("gọi 0912.345.678 hoặc mail a1@gmail");
        result.Tokens.Should().Contain("0912.345.678");
        result.Tokens.Should().Contain("a1@gmail");
    }

    [Theory]
    [InlineData("😀🎉👍")]
    [InlineData("!!! ??? ...")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("\ud83d")] // lone surrogate
    public void Emoji_only_or_empty_input_gives_empty_tokens(string? input)
    {
        var result = _normalizer.Normalize(input);
        result.Tokens.Should().BeEmpty();
        result.FoldedTokens.Should().BeEmpty();
        result.Accented.Should().BeEmpty();
        result.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Folds_all_vietnamese_diacritics()
    {
        const string letters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
        var expected = new string('a', 17) + new string('e', 11) + new string('i', 5) + new string('o', 17)
            + new string('u', 11) + new string('y', 5) + "d";
        DiacriticFolder.Fold(letters).Should().Be(expected);
        DiacriticFolder.Fold("ĐƯỢC").Should().Be("DUOC");
    }

    [Theory]
    [InlineData("Đ/c Vũ Thị Thu Hương — KHÁNH HOÀ", "d c vu thi thu huong khanh hoa")]
    [InlineData("  Hủy!! ", "huy")]
    [InlineData("Sở Tư pháp,   tỉnh Hải Dương", "so tu phap tinh hai duong")]
    [InlineData("", "")]
    [InlineData("—…", "")]
    public void Folding_for_matching_lowers_removes_marks_and_keeps_single_spaces(string text, string expected)
    {
        DiacriticFolder.FoldForMatching(text).Should().Be(expected);
        DiacriticFolder.FoldForMatching(text.Normalize(System.Text.NormalizationForm.FormD)).Should().Be(expected, "NFD input folds the same");
    }

    [Fact]
    public void Huge_input_does_not_blow_up()
    {
        var big = string.Concat(Enumerable.Repeat("Cho tôi hỏi thể lệ cuộc thi 😀 ", 2000));
        big.Length.Should().BeGreaterThan(50_000);
        var result = _normalizer.Normalize(big);
        result.Tokens.Should().NotBeEmpty();
        result.Accented.Length.Should().BeLessThanOrEqualTo(TextNormalizer.DefaultMaxInputChars);
    }
}
