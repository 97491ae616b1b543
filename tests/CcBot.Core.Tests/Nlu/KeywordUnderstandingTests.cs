using CcBot.Core.Nlu;
using CcBot.Nlu;

namespace CcBot.Core.Tests.Nlu;

public sealed class KeywordUnderstandingTests
{
    [Theory]
    [InlineData("cho mình xem thể lệ cuộc thi", IntentNames.Rules)]
    [InlineData("the le cuoc thi", IntentNames.Rules)]
    [InlineData("Hạn nộp bài là khi nào?", IntentNames.Schedule)]
    [InlineData("cach nop bai du thi", IntentNames.Submission)]
    [InlineData("khi nao het han", IntentNames.Schedule)]
    [InlineData("số điện thoại ban tổ chức", IntentNames.Contact)]
    [InlineData("thi thử", IntentNames.QuizStart)]
    [InlineData("hủy nhắc hạn", IntentNames.Unsubscribe)]
    [InlineData("nhắc hạn cho tôi", IntentNames.Subscribe)]
    [InlineData("cho tôi gặp cán bộ", IntentNames.Human)]
    public void Unmistakable_phrases_route_with_or_without_diacritics(string text, string intent)
    {
        var u = new KeywordUnderstanding().Understand(text);

        u.Kind.Should().Be(UnderstandingKind.Intent);
        u.Intent.Should().Be(intent);
    }

    [Theory]
    [InlineData("con mèo nhà tôi tên là gì")]
    [InlineData("")]
    [InlineData("thelecuocthi")]
    public void Anything_else_is_not_sure(string text)
    {
        new KeywordUnderstanding().Understand(text).Kind.Should().Be(UnderstandingKind.Unsure);
    }
}
