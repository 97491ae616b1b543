using System.Text;
using CcBot.Core.Entries;
using CcBot.Core.Time;
using CcBot.Host.Tests.Infrastructure;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CcBot.Host.Tests.Telegram;

/// <summary>A contest entry sent as a file on Telegram: the document reaches Entries through getFile and the participant gets the receipt.</summary>
public sealed class TelegramEntryTests
{
    private const string Contest = "khanh-hoa-2021";
    private const long Chat = 7001;

    [Fact]
    public async Task Docx_and_pdf_sent_as_telegram_documents_become_entries_with_their_text_and_a_receipt()
    {
        var clock = new ManualClock(VietnamTime.At(2021, 7, 10, 9, 0));
        await using var fake = await FakeBotApi.StartAsync();
        await using var host = await TestHost.StartAsync(TelegramTestSupport.Settings(fake),
            configure: b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var docx = Docx("Sáng kiến một cửa điện tử liên thông giúp người dân nộp hồ sơ tại bất kỳ điểm tiếp nhận nào.");
        var pdf = CcBot.Testing.TestDocuments.OnePagePdf("Sang kien so hoa ho so tu phap cap xa");
        fake.Files["doc-1"] = ("documents/file_1.docx", docx);
        fake.Files["pdf-1"] = ("documents/file_2.pdf", pdf);

        await SayAsync(fake, FakeBotApi.TextMessage(Chat, "/start " + Contest), "Xin chào");
        await SayAsync(fake, FakeBotApi.Callback(Chat, "entry_submit:" + Contest, 1001, "q1"), "họ và tên");
        await SayAsync(fake, FakeBotApi.TextMessage(Chat, "Nguyễn Văn An", messageId: 2), "đơn vị");
        await SayAsync(fake, FakeBotApi.TextMessage(Chat, "Phòng Tư pháp", messageId: 3), "đồng ý");
        await SayAsync(fake, FakeBotApi.Callback(Chat, "pc:yes", 1004, "q2"), null);

        await SayAsync(fake, FakeBotApi.Callback(Chat, "entry_submit:" + Contest, 1005, "q3"), "tên bài dự thi");
        await SayAsync(fake, FakeBotApi.TextMessage(Chat, "Một cửa liên thông", messageId: 4), "tệp bài dự thi");
        await SayAsync(fake, FakeBotApi.DocumentMessage(Chat, "doc-1", "de-an.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Length, caption: "https://youtu.be/clip1"), "KH21-0001");

        await SayAsync(fake, FakeBotApi.Callback(Chat, "entry_submit:" + Contest, 1008, "q4"), "tên bài dự thi");
        await SayAsync(fake, FakeBotApi.TextMessage(Chat, "Số hóa hồ sơ", messageId: 5), "tệp bài dự thi");
        await SayAsync(fake, FakeBotApi.DocumentMessage(Chat, "pdf-1", "so-hoa.pdf", "application/pdf", pdf.Length), "KH21-0002");

        fake.CallsTo("getFile").Select(c => c.Body["file_id"]!.GetValue<string>()).Should().Equal("doc-1", "pdf-1");
        var entries = await host.Services.GetRequiredService<IEntryStore>().ListAsync(Contest, default);
        var first = entries.Single(e => e.Receipt == "KH21-0001");
        first.FileName.Should().Be("de-an.docx");
        first.FileSize.Should().Be(docx.Length);
        first.VideoUrl.Should().Be("https://youtu.be/clip1", "the caption is the message's text");
        first.Text.Should().Contain("mot cua dien tu lien thong", "the DOCX text is stored (folded for the similarity check)");
        var second = entries.Single(e => e.Receipt == "KH21-0002");
        second.FileName.Should().Be("so-hoa.pdf");
        second.FileSize.Should().Be(pdf.Length);
        second.Text.Should().Contain("sang kien so hoa ho so tu phap cap xa", "the PDF text is read with PdfPig");
    }

    private static async Task SayAsync(FakeBotApi fake, System.Text.Json.Nodes.JsonObject update, string? expected)
    {
        var before = fake.SentTo(Chat).Count;
        fake.Enqueue(update);
        await FakeBotApi.WaitUntilAsync(() => fake.SentTo(Chat).Count > before && (expected is null || fake.SentTo(Chat).Skip(before).Any(c => c.Text.Contains(expected, StringComparison.Ordinal))),
            because: expected is null ? "a reply" : $"a reply containing '{expected}'; got: {string.Join(" | ", fake.SentTo(Chat).Skip(before).Select(c => c.Text))}");
    }

    private static byte[] Docx(string text)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body(new Paragraph(new Run(new Text(text)))));
            main.Document.Save();
        }

        return stream.ToArray();
    }
}
