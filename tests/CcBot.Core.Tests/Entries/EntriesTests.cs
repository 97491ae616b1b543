using System.Text;
using CcBot.Core.Entries;
using CcBot.Core.Time;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CcBot.Core.Tests.Entries;

/// <summary>Run against both storage providers (see the <c>On...</c> classes at the end).</summary>
public abstract class EntriesTests(string provider)
{
    private const string HaNoi = "ha-noi-2019";
    private const string KhanhHoa = "khanh-hoa-2021";
    private static readonly DateTimeOffset BeforeHaNoi = VietnamTime.At(2019, 11, 1, 9, 0);
    private static readonly DateTimeOffset BeforeKhanhHoa = VietnamTime.At(2021, 7, 1, 9, 0);

    internal const string WriteUp = """
        Sáng kiến "Một cửa điện tử liên thông" giúp người dân nộp hồ sơ đăng ký hộ tịch tại bất kỳ điểm tiếp nhận nào của quận.
        Trước đây mỗi hồ sơ phải đi qua ba phòng chuyên môn và mất từ năm đến bảy ngày làm việc, người dân phải đi lại nhiều lần.
        Với cách làm mới, cán bộ một cửa quét hồ sơ, chuyển bản điện tử cho phòng chuyên môn và trả kết quả trong ngày.
        Sau sáu tháng áp dụng, thời gian giải quyết trung bình giảm còn một ngày, số lần đi lại của người dân giảm hai phần ba.
        Sáng kiến có thể nhân rộng cho các thủ tục đất đai, xây dựng và kinh doanh tại các phường trên địa bàn thành phố.
        """;

    internal const string OtherWriteUp = """
        Giải pháp số hóa kho lưu trữ của Sở: toàn bộ hồ sơ lưu trữ giấy từ năm 2005 được quét, gắn chỉ mục và đưa lên phần mềm quản lý văn bản.
        Cán bộ tra cứu văn bản cũ trong vài giây thay vì hàng giờ tìm trong kho, giảm chi phí in ấn và diện tích kho chứa.
        Nhóm tác giả đề xuất quy trình bốn bước: phân loại, quét, kiểm tra chất lượng ảnh quét và phê duyệt chỉ mục trước khi công bố.
        """;

    /// <summary>Removes Vietnamese diacritics, lower-cases and reflows whitespace, as a re-typed copy would look.</summary>
    internal static string Retyped(string text)
    {
        var d = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder();
        foreach (var c in d)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c switch { 'đ' => 'd', 'Đ' => 'D', _ => c });
            }
        }

        return string.Join("   ", sb.ToString().ToUpperInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    internal static byte[] Docx(string text)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            foreach (var line in text.Split('\n'))
            {
                body.AppendChild(new Paragraph(new Run(new DocumentFormat.OpenXml.Wordprocessing.Text(line.Trim()) { Space = SpaceProcessingModeValues.Preserve })));
            }

            main.Document = new Document(body);
        }

        return ms.ToArray();
    }

    [Fact]
    public async Task Entry_is_accepted_with_a_receipt_and_listed()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var who = new Submitter(1, "Nguyễn Văn An", "Phòng Tư pháp");
        var r = await h.Service.SubmitAsync(KhanhHoa, who, "Một cửa liên thông", new EntryDocument("de-cuong.docx", Docx(WriteUp)), "https://youtu.be/abc", BeforeKhanhHoa, default);

        r.Status.Should().Be(SubmitStatus.Accepted);
        r.Entry!.Receipt.Should().Be("KH21-0001");
        r.Entry.ReceivedAt.Should().Be(BeforeKhanhHoa);
        (await h.Store.ListByUserAsync(1, default)).Select(e => e.Receipt).Should().Equal("KH21-0001");
        File.Exists(h.Files.PathOf(r.Entry.FileHash!)).Should().BeTrue();

        var second = await h.Service.SubmitAsync(KhanhHoa, who, "Clip 2", null, "https://facebook.com/cchckh/videos/1", BeforeKhanhHoa, default);
        second.Entry!.Receipt.Should().Be("KH21-0002");
    }

    [Fact]
    public async Task Late_entry_is_refused_with_the_deadline_and_a_reopening_lets_one_unit_in()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var late = VietnamTime.At(2019, 11, 8, 8, 0);
        var r = await h.Service.SubmitAsync(HaNoi, new Submitter(1, "A", "Văn phòng Sở"), "Bài", new EntryDocument("a.txt", Encoding.UTF8.GetBytes(WriteUp)), null, late, default);
        r.Status.Should().Be(SubmitStatus.Closed);
        r.Deadline.Should().Be(VietnamTime.At(2019, 11, 8));

        await h.Store.ReopenAsync(HaNoi, "văn phòng sở", VietnamTime.At(2019, 11, 10), default);
        (await h.Service.SubmitAsync(HaNoi, new Submitter(1, "A", "Văn phòng Sở"), "Bài", new EntryDocument("a.txt", Encoding.UTF8.GetBytes(WriteUp)), null, late, default))
            .Status.Should().Be(SubmitStatus.Accepted);
        (await h.Service.SubmitAsync(HaNoi, new Submitter(2, "B", "Thanh tra Sở"), "Bài", new EntryDocument("b.txt", Encoding.UTF8.GetBytes(OtherWriteUp)), null, late, default))
            .Status.Should().Be(SubmitStatus.Closed);
    }

    [Fact]
    public async Task Size_type_and_count_limits_are_checked()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var who = new Submitter(1, "A", "Phòng Nội vụ");
        (await h.Service.SubmitAsync(HaNoi, who, "Bài", new EntryDocument("a.exe", [1, 2, 3]), null, BeforeHaNoi, default)).Status.Should().Be(SubmitStatus.BadType);
        var big = new byte[10 * 1024 * 1024 + 1];
        var tooLarge = await h.Service.SubmitAsync(HaNoi, who, "Bài", new EntryDocument("a.txt", big), null, BeforeHaNoi, default);
        tooLarge.Status.Should().Be(SubmitStatus.TooLarge);
        tooLarge.Detail.Should().Be("10 MB");
        (await h.Service.SubmitAsync(HaNoi, who, "Bài", null, null, BeforeHaNoi, default)).Status.Should().Be(SubmitStatus.NothingSubmitted);

        (await h.Service.SubmitAsync(HaNoi, who, "1", new EntryDocument("1.txt", Encoding.UTF8.GetBytes(WriteUp)), null, BeforeHaNoi, default)).Status.Should().Be(SubmitStatus.Accepted);
        (await h.Service.SubmitAsync(HaNoi, who, "2", new EntryDocument("2.txt", Encoding.UTF8.GetBytes(OtherWriteUp)), null, BeforeHaNoi, default)).Status.Should().Be(SubmitStatus.Accepted);
        var third = await h.Service.SubmitAsync(HaNoi, who, "3", new EntryDocument("3.txt", [65]), null, BeforeHaNoi, default);
        third.Status.Should().Be(SubmitStatus.PersonLimit);
        third.Detail.Should().Be("2");
    }

    [Fact]
    public async Task Near_identical_write_ups_are_flagged_and_different_ones_are_not()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var a = await h.Service.SubmitAsync(HaNoi, new Submitter(1, "A", "Phòng Tư pháp"), "Một cửa", new EntryDocument("a.docx", Docx(WriteUp)), null, BeforeHaNoi, default);
        var b = await h.Service.SubmitAsync(HaNoi, new Submitter(2, "B", "Thanh tra"), "Lưu trữ", new EntryDocument("b.docx", Docx(OtherWriteUp)), null, BeforeHaNoi, default);
        b.Flags.Should().BeEmpty();

        var copy = await h.Service.SubmitAsync(HaNoi, new Submitter(3, "C", "Văn phòng"), "Ban sao", new EntryDocument("c.txt", Encoding.UTF8.GetBytes(Retyped(WriteUp))), null, BeforeHaNoi, default);
        copy.Status.Should().Be(SubmitStatus.Accepted);
        copy.Flags.Should().ContainSingle();

        var flags = await h.Store.ListFlagsAsync(HaNoi, default);
        flags.Should().ContainSingle();
        flags[0].EntryA.Should().Be(a.Entry!.Id);
        flags[0].EntryB.Should().Be(copy.Entry!.Id);
        flags[0].Score.Should().BeGreaterThan(0.9);
        flags[0].Passages[0].Should().Contain("mot cua dien tu lien thong");
    }

    [Fact]
    public async Task Checksum_mismatch_is_detected()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var hash = await h.Files.SaveAsync(Encoding.UTF8.GetBytes(WriteUp), default);
        (await h.Files.VerifyAsync(hash, default)).Should().BeNull();
        (await h.Files.ReadAsync(hash, default)).Should().Equal(Encoding.UTF8.GetBytes(WriteUp));

        await File.WriteAllTextAsync(h.Files.PathOf(hash), WriteUp + "x");
        (await h.Files.VerifyAsync(hash, default)).Should().Be("checksum mismatch");
        await FluentActions.Awaiting(() => h.Files.ReadAsync(hash, default)).Should().ThrowAsync<ChecksumMismatchException>();
    }
}

public sealed class EntriesOnSqlite() : EntriesTests("sqlite");

public sealed class EntriesOnPostgres() : EntriesTests("postgres");
