using System.Text;
using CcBot.Core.Entries;

namespace CcBot.Core.Tests.Entries;

public sealed class TextExtractorTests
{
    [Fact]
    public void Pdf_text_is_read_from_every_page()
    {
        var text = TextExtractor.Extract(CcBot.Testing.TestDocuments.OnePagePdf("Sang kien mot cua lien thong"), "pdf");

        text.Should().Contain("Sang kien mot cua lien thong");
    }

    [Theory]
    [InlineData("%PDF-1.4\ngarbage")]
    [InlineData("not a pdf at all")]
    [InlineData("")]
    public void A_damaged_pdf_gives_no_text_instead_of_an_error(string content)
    {
        TextExtractor.Extract(Encoding.ASCII.GetBytes(content), "pdf").Should().BeNull();
    }
}
