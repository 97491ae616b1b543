using System.Text;
using CcBot.Core.Contests;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using YamlDotNet.RepresentationModel;

namespace CcBot.Core.Tests.Contests;

public class NoticeIngestorTests
{
    public static TheoryData<string> SeedIds() => new(Repo.SeedFiles.Keys);

    private static IEnumerable<string> HandPhones(Contest c) => c.Contacts.SelectMany(x => x.Phones).Select(ContactFormatter.PhoneDigits);

    private static IEnumerable<string> HandEmails(Contest c) =>
        c.Contacts.Where(x => x.Email is not null).Select(x => x.Email!)
            .Concat(c.SubmissionChannels.Where(s => s.Kind == SubmissionChannelKind.Email).Select(s => s.Value));

    private static IEnumerable<string> HandUrls(Contest c) =>
        c.Links.Select(l => l.Url).Concat(c.SubmissionChannels.Where(s => ContactFormatter.IsWebUrl(s.Value)).Select(s => s.Value)).Distinct();

    [Theory]
    [MemberData(nameof(SeedIds))]
    public void Draft_matches_the_hand_made_file_on_dates_phones_emails_and_urls(string id)
    {
        var hand = Repo.Contest(id);
        var draft = NoticeIngestor.Ingest(Repo.Seed(id)).Draft;

        draft.Id.Should().Be(id);
        draft.Places.Should().Equal(hand.Places);
        draft.Year.Should().Be(hand.Year);
        draft.Milestones.Select(m => m.At).Should().BeEquivalentTo(hand.Milestones.Select(m => m.At));
        draft.Contacts.Select(c => ContactFormatter.PhoneDigits(c.Phone)).Should().BeEquivalentTo(HandPhones(hand));
        draft.Emails.Should().BeEquivalentTo(HandEmails(hand));
        draft.Urls.Should().BeEquivalentTo(HandUrls(hand));
        foreach (var m in hand.Milestones)
        {
            var dm = draft.Milestones.Single(x => x.At == m.At);
            dm.Time.Should().Be(m.Time);
            dm.EndOfDay.Should().Be(m.EndOfDay);
        }
    }

    [Theory]
    [MemberData(nameof(SeedIds))]
    public void Draft_matches_the_notice_number_date_and_cited_documents(string id)
    {
        var hand = Repo.Contest(id);
        var draft = NoticeIngestor.Ingest(Repo.Seed(id)).Draft;

        draft.Notice.Number.Should().Be(hand.PrimaryDocument.Number);
        draft.Notice.Symbol.Should().Be(hand.PrimaryDocument.Symbol);
        draft.Notice.Date.Should().Be(hand.PrimaryDocument.Date);
        draft.Notice.Type.Should().Be(hand.PrimaryDocument.Type);
        foreach (var doc in hand.SourceDocuments.Where(d => !d.Primary))
        {
            var cited = draft.CitedDocuments.Should().ContainSingle(c => c.Number == doc.Number).Subject;
            cited.Date.Should().Be(doc.Date);
            cited.Type.Should().Be(doc.Type);
        }
    }

    [Fact]
    public void Named_contacts_keep_their_roles()
    {
        var hd = NoticeIngestor.Ingest(Repo.Seed("hai-duong-2024")).Draft;
        hd.Contacts.Should().Equal(new DraftContact("Đ/c Vũ Thị Thu Hương", "Phó chánh văn phòng Sở", "0989.568.808"));

        var kh = NoticeIngestor.Ingest(Repo.Seed("khanh-hoa-2021")).Draft;
        kh.Contacts.Should().Equal(
            new DraftContact("Phòng Cải cách hành chính - Sở Nội vụ", null, "02583 810440"),
            new DraftContact("ông Nguyễn Văn Tú", "Trưởng ban Thư ký cuộc thi", "0914 233499"));
    }

    [Fact]
    public void Deadlines_keep_their_sentence_and_actor()
    {
        var hn = NoticeIngestor.Ingest(Repo.Seed("ha-noi-2019")).Draft;

        var first = hn.Milestones.Single(m => m.Date == new DateOnly(2019, 11, 8));
        first.Kind.Should().Be(MilestoneKind.Deadline);
        first.EndOfDay.Should().BeFalse();
        first.Actor.Should().Be("Các phòng, đơn vị thuộc Sở");
        first.Label.Should().Contain("bàn giao cho Văn phòng Sở trước ngày 08/11/2019");
        hn.Milestones.Single(m => m.Date == new DateOnly(2019, 11, 15)).Actor.Should().Be("Văn Phòng Sở");
    }

    [Fact]
    public void Missing_number_and_incomplete_date_are_warnings()
    {
        var result = NoticeIngestor.Ingest(Repo.Seed("hai-duong-2024"));

        result.Warnings.Should().Contain(w => w.Contains("no document number") && w.Contains("/SVHTTDL-VP"));
        result.Warnings.Should().Contain(w => w.Contains("incomplete") && w.Contains("2024"));
        result.Draft.Title.Should().Be("Cuộc thi trực tuyến tuyên truyền về công tác cải cách hành chính tỉnh Hải Dương năm 2024");
        result.Draft.Kind.Should().Be("online_quiz");
    }

    [Fact]
    public void Typo_duplicate_url_is_a_warning_not_a_link()
    {
        var result = NoticeIngestor.Ingest(Repo.Seed("bac-giang-2020"));

        result.Draft.SuspectUrls.Should().Equal("http://thitruuctuyen.bacgiang.gov.vn");
        result.Draft.Urls.Should().NotContain(u => u.Contains("thitruuctuyen"));
        result.Warnings.Should().Contain(w => w.Contains("thitruuctuyen") && w.Contains("typo"));
    }

    [Theory]
    [InlineData("hai-phong-2024")]
    [InlineData("bac-giang-2020")]
    [InlineData("khanh-hoa-2021")]
    public void Link_kinds_are_suggested_from_the_context(string id)
    {
        var draft = NoticeIngestor.Ingest(Repo.Seed(id)).Draft;

        draft.Links.Select(l => (l.Kind, l.Url)).Should().BeEquivalentTo(Repo.Contest(id).Links.Select(l => (l.Kind, l.Url)));
    }

    [Fact]
    public void Quoted_contest_name_and_title()
    {
        var hn = NoticeIngestor.Ingest(Repo.Seed("ha-noi-2019")).Draft;

        hn.ContestName.Should().Be("Tìm kiếm sáng kiến, giải pháp mô hình CCHC và thực hiện cơ chế một cửa, một cửa liên thông năm 2019");
        hn.Notice.Title.Should().StartWith("Về việc triển khai cuộc thi viết");
        hn.Kind.Should().Be("initiative_writing");
    }

    [Fact]
    public void Ingest_command_writes_a_draft_that_is_valid_yaml_and_never_loaded()
    {
        using var tmp = Repo.Temp();
        File.Copy(Path.Combine(Repo.ContestsDir, "hai-phong-2024.yaml"), tmp.File("hai-phong-2024.yaml"));
        var output = new StringWriter();

        ContestCommands.Ingest(Repo.Seed("khanh-hoa-2021"), tmp.Path, output).Should().Be(0);

        var path = tmp.File("khanh-hoa-2021.draft.yaml");
        File.Exists(path).Should().BeTrue();
        output.ToString().Should().Contain("draft written").And.Contain("warning:");
        var yaml = File.ReadAllText(path, Encoding.UTF8);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        ((YamlScalarNode)root["status"]).Value.Should().Be("draft");
        var notice = (YamlMappingNode)((YamlSequenceNode)root["source_documents"]).Children[0];
        ((YamlScalarNode)notice["summary"]).Value.Should().BeEmpty("a value the notice does not state is left null to fill in");
        ((YamlScalarNode)notice["summary"]).Style.Should().Be(YamlDotNet.Core.ScalarStyle.Plain, "null, not an empty string");
        ((YamlScalarNode)notice["date"]).Style.Should().Be(YamlDotNet.Core.ScalarStyle.DoubleQuoted, "a date stays a string");
        yaml.Should().Contain("\"2021-07-15\"").And.Contain("end_of_day: true").And.Contain("0914 233499").And.Contain("cchc.snv@khanhhoa.gov.vn");

        var catalog = ContestCatalog.Load(tmp.Path);
        catalog.Contests.Select(c => c.Id).Should().Equal("hai-phong-2024");
        catalog.SkippedDrafts.Should().Equal("khanh-hoa-2021.draft.yaml");
    }

    [Fact]
    public void Out_file_must_be_a_draft_name()
    {
        using var tmp = Repo.Temp();
        var output = new StringWriter();

        ContestCommands.Ingest(Repo.Seed("hai-duong-2024"), tmp.File("hai-duong-2024.yaml"), output).Should().Be(1);
        Directory.GetFiles(tmp.Path).Should().BeEmpty();
    }

    [Fact]
    public void Empty_file_is_rejected() => AssertRejected("empty.txt", [], "empty");

    [Fact]
    public void Whitespace_only_file_is_rejected() => AssertRejected("blank.md", Encoding.UTF8.GetBytes(" \n\n  "), "no text");

    [Fact]
    public void Binary_file_is_rejected() => AssertRejected("image.txt", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A], "binary");

    [Fact]
    public void Invalid_utf8_is_rejected() => AssertRejected("latin1.txt", [0x53, 0xE1, 0x20, 0x74, 0x68, 0x69], "UTF-8");

    [Fact]
    public void Five_megabyte_file_is_rejected() =>
        AssertRejected("big.txt", Encoding.UTF8.GetBytes(new string('a', 5 * 1024 * 1024)), "too large");

    [Fact]
    public void Docx_that_is_not_a_zip_is_rejected() => AssertRejected("fake.docx", Encoding.UTF8.GetBytes("Số: 1/TB-X"), ".docx");

    [Fact]
    public void Zip_that_is_not_a_word_document_is_rejected()
    {
        using var tmp = Repo.Temp();
        var zip = tmp.File("src.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("readme.txt").Open());
            writer.Write("not a word document");
        }

        AssertRejected("archive.docx", File.ReadAllBytes(zip), ".docx");
    }

    [Fact]
    public void Markdown_notice_is_ingested()
    {
        using var tmp = Repo.Temp();
        var path = tmp.File("notice.md");
        File.Copy(Repo.Seed("ha-noi-2019"), path);

        NoticeIngestor.Ingest(path).Draft.Notice.Number.Should().Be("254/TB-STTTT");
    }

    [Fact]
    public void Unsupported_extension_is_rejected() => AssertRejected("notice.pdf", Encoding.UTF8.GetBytes("%PDF-1.4"), "Unsupported");

    private static void AssertRejected(string name, byte[] content, string expected)
    {
        using var tmp = Repo.Temp();
        var path = tmp.File(name);
        File.WriteAllBytes(path, content);
        var output = new StringWriter();

        ContestCommands.Ingest(path, null, output).Should().Be(1);

        output.ToString().Should().StartWith("error:").And.Contain(expected);
        Directory.GetFiles(tmp.Path).Should().Equal(path);
    }

    [Fact]
    public void Generated_docx_is_ingested()
    {
        using var tmp = Repo.Temp();
        var path = tmp.File("hai-duong.docx");
        var lines = File.ReadAllLines(Repo.Seed("hai-duong-2024"), Encoding.UTF8);
        using (var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body(lines.Select(l => new Paragraph(new Run(new DocumentFormat.OpenXml.Wordprocessing.Text(l) { Space = SpaceProcessingModeValues.Preserve })))));
            main.Document.Save();
        }

        var draft = NoticeIngestor.Ingest(path).Draft;
        var hand = Repo.Contest("hai-duong-2024");

        draft.Id.Should().Be("hai-duong-2024");
        draft.Milestones.Select(m => m.At).Should().BeEquivalentTo(hand.Milestones.Select(m => m.At));
        draft.Contacts.Should().ContainSingle(c => c.Phone == "0989.568.808" && c.Name == "Đ/c Vũ Thị Thu Hương");
        draft.CitedDocuments.Select(d => d.Number).Should().Contain(["3985/KH-UBND", "265/TB-BTC", "1587/CV-BTC", "1588/HD-BTC"]);

        var output = new StringWriter();
        ContestCommands.Ingest(path, null, output).Should().Be(0);
        File.Exists(tmp.File("hai-duong-2024.draft.yaml")).Should().BeTrue();
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("thitructuyen", "thitruuctuyen", 1)]
    [InlineData("", "abc", 3)]
    public void Edit_distance(string a, string b, int expected) => NoticeIngestor.EditDistance(a, b).Should().Be(expected);
}
