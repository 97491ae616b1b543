using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

public sealed class FaqIndexTests
{
    private readonly FaqIndex _index = new(FaqData.LoadTsv(TestData.FaqPath));

    [Theory]
    [InlineData("quên mật khẩu thì làm thế nào", "quen-mat-khau")]
    [InlineData("quen mat khau trang thi phai lam sao", "quen-mat-khau")]
    [InlineData("e quên pass trang thi rồi, mật khẩu lấy lại sao", "quen-mat-khau")]
    [InlineData("cải cách hành chính là gì vậy", "cchc-la-gi")]
    [InlineData("cchc la gi", "cchc-la-gi")]
    [InlineData("dịch vụ công trực tuyến nghĩa là gì", "dvc-truc-tuyen")]
    [InlineData("dvc truc tuyen la gi", "dvc-truc-tuyen")]
    [InlineData("thủ tục hành chính được hiểu là gì", "tthc-la-gi")]
    [InlineData("nộp bài dự thi qua chatbot được không", "bot-nop-bai")]
    [InlineData("thi thu tren chatbot co duoc tinh diem khong", "thi-thu-co-tinh-diem")]
    [InlineData("mất mạng khi đang làm bài thì sao", "loi-khi-dang-lam-bai")]
    public void Finds_the_right_entry_for_paraphrases_with_and_without_diacritics(string query, string expectedId)
    {
        var hits = _index.Search(query);
        hits.Should().NotBeEmpty();
        hits[0].Document.Id.Should().Be(expectedId);
        hits[0].Score.Should().BeInRange(0, 1);
    }

    [Fact]
    public void Exact_question_scores_close_to_one_and_unrelated_text_scores_low()
    {
        var exact = _index.Search("Tôi quên mật khẩu trang thi thì làm sao?");
        exact[0].Document.Id.Should().Be("quen-mat-khau");
        exact[0].Score.Should().BeGreaterThan(0.8);

        var unrelated = _index.Search("giá vàng hôm nay bao nhiêu");
        (unrelated.Count == 0 || unrelated[0].Score < 0.3).Should().BeTrue();
    }

    [Fact]
    public void Results_are_sorted_and_limited()
    {
        var hits = _index.Search("cuộc thi cải cách hành chính", top: 2);
        hits.Should().HaveCountLessThanOrEqualTo(2);
        hits.Select(h => h.Score).Should().BeInDescendingOrder();
        _index.Search("", 3).Should().BeEmpty();
        _index.Search("😀", 3).Should().BeEmpty();
    }

    [Fact]
    public void Add_returns_a_new_index_with_the_entry()
    {
        var added = _index.Add(new FaqDocument("lam-bai-tren-may-tinh", "Có thể làm bài trên máy tính bảng không?", "Có.", "Ban biên tập CcBot", null));
        added.Search("làm bài bằng máy tính bảng được không")[0].Document.Id.Should().Be("lam-bai-tren-may-tinh");
        _index.Documents.Should().NotContain(d => d.Id == "lam-bai-tren-may-tinh");
    }

    [Fact]
    public void Faq_file_answers_use_line_breaks_and_sources()
    {
        var docs = FaqData.LoadTsv(TestData.FaqPath);
        docs.Should().HaveCountGreaterThanOrEqualTo(15);
        docs.Should().OnlyContain(d => !string.IsNullOrWhiteSpace(d.Source) && d.ContestId == null, "every general answer names its source");
        docs.Single(d => d.Id == "tthc-la-gi").Source.Should().StartWith("Nghị định 63/2010/NĐ-CP", "a legal definition cites the decree that gives it");
        docs.Single(d => d.Id == "dvc-truc-tuyen").Source.Should().StartWith("Nghị định 42/2022/NĐ-CP");
        var parsed = FaqData.Parse(new StringReader("id\tquestion\tanswer\tsource\nx\tHỏi?\tDòng 1\\nDòng 2\t\n"), "mem");
        parsed[0].Answer.Should().Be("Dòng 1\nDòng 2");
        parsed[0].Source.Should().BeNull();
    }

    [Fact]
    public void Bad_faq_rows_name_the_line()
    {
        var act = () => FaqData.Parse(new StringReader("id\tquestion\tanswer\tsource\na\tHỏi\tĐáp\tX\na\tHỏi 2\tĐáp 2\tX\n"), "faq.tsv");
        act.Should().Throw<NluDataException>().WithMessage("faq.tsv:3: duplicate id 'a'");
    }
}
