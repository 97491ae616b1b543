using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Time;

namespace CcBot.Core.Tests.Contests;

public class ContestAnswersTests
{
    private static readonly DateTimeOffset Now = VietnamTime.At(2024, 11, 20, 10, 0);

    private static ContestAnswer Ask(string id, ContestTopic topic, DateTimeOffset? now = null) =>
        ContestAnswers.Answer(Repo.Contest(id), topic, now ?? Now, Repo.Texts);

    public static TheoryData<string, ContestTopic> AllContestsAndTopics()
    {
        var data = new TheoryData<string, ContestTopic>();
        foreach (var id in Repo.SeedFiles.Keys)
        {
            foreach (var topic in Enum.GetValues<ContestTopic>())
            {
                data.Add(id, topic);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllContestsAndTopics))]
    public void Every_answer_cites_a_document_and_never_leaves_a_placeholder(string id, ContestTopic topic)
    {
        var answer = Ask(id, topic);
        var contest = Repo.Contest(id);

        answer.CitedDocuments.Should().NotBeEmpty();
        foreach (var doc in answer.CitedDocuments)
        {
            answer.Message.Text.Should().Contain(ContestAnswers.Cite(contest.FindDocument(doc)!, Repo.Texts));
        }

        answer.Message.Text.Should().NotContain("{").And.NotContain("}");
        if (answer.Stated)
        {
            answer.Message.Text.Should().Contain("Theo ");
        }
        else
        {
            answer.Message.Text.Should().Contain("không nêu");
            answer.Message.Buttons.Should().Contain(b => b.Value == ContestAnswers.HumanAction);
        }
    }

    [Fact]
    public void Citations_use_number_date_and_issuer()
    {
        var hn = Repo.Contest("ha-noi-2019");
        ContestAnswers.Cite(hn.PrimaryDocument, Repo.Texts).Should().Be("Thông báo số 254/TB-STTTT ngày 10/9/2019 của Sở Thông tin và Truyền thông Hà Nội");
        ContestAnswers.Cite(Repo.Contest("hai-duong-2024").FindDocument("cv-1587")!, Repo.Texts)
            .Should().Be("Công văn số 1587/CV-BTC ngày 14/11/2024 của Ban Tổ chức Cuộc thi trực tuyến");
        ContestAnswers.Cite(Repo.Contest("hai-duong-2024").PrimaryDocument, Repo.Texts)
            .Should().Be("Công văn /SVHTTDL-VP (văn bản không ghi số) năm 2024 của Sở Văn hóa, Thể thao và Du lịch tỉnh Hải Dương");
        ContestAnswers.Cite(Repo.Contest("khanh-hoa-2021").PrimaryDocument, Repo.Texts).Should().Contain("tháng 6/2021");
    }

    [Fact]
    public void Hai_duong_schedule_lists_the_window_and_the_report_deadline()
    {
        var answer = Ask("hai-duong-2024", ContestTopic.Schedule);

        answer.Stated.Should().BeTrue();
        answer.Message.Text.Should().Contain("Theo Công văn /SVHTTDL-VP")
            .And.Contain("từ 7h30 ngày 18/11/2024")
            .And.Contain("16h30 ngày 13/12/2024")
            .And.Contain("trước 9h00 ngày 14/12/2024")
            .And.Contain("đang diễn ra, còn 23 ngày 6 giờ");
    }

    [Fact]
    public void Hai_phong_schedule_says_the_notice_does_not_state_it()
    {
        var answer = Ask("hai-phong-2024", ContestTopic.Schedule);

        answer.Stated.Should().BeFalse();
        answer.Message.Text.Should().Contain("không nêu thời gian diễn ra cuộc thi");
        answer.Message.Buttons.Should().Contain(ReplyButton.Link("Mở trang thi", "http://thicchaiphong.hethong.vn/"));
        answer.Message.Buttons.Should().Contain(ReplyButton.Action("Hỏi cán bộ hỗ trợ", "human"));
    }

    [Fact]
    public void Silent_fact_offers_the_stated_contact()
    {
        var answer = Ask("hai-duong-2024", ContestTopic.Prizes);

        answer.Stated.Should().BeFalse();
        answer.Message.Text.Should().Contain("không nêu giải thưởng").And.Contain("Vũ Thị Thu Hương").And.Contain("0989.568.808 (tel:0989568808)");
        answer.Message.Buttons.Should().Contain(ReplyButton.Link("Gọi 0989.568.808", "tel:0989568808"));
        answer.Message.Buttons.Should().Contain(b => b.Value == "human");
    }

    [Fact]
    public void Hai_duong_contact_is_dialable()
    {
        var answer = Ask("hai-duong-2024", ContestTopic.Contact);

        answer.Message.Text.Should().Contain("Đ/c Vũ Thị Thu Hương, Phó chánh văn phòng Sở, điện thoại 0989.568.808 (tel:0989568808)");
        answer.Message.Buttons.Should().Equal(ReplyButton.Link("Gọi 0989.568.808", "tel:0989568808"));
    }

    [Fact]
    public void Khanh_hoa_submission_lists_all_channels_and_the_deadline()
    {
        var answer = Ask("khanh-hoa-2021", ContestTopic.Submission, VietnamTime.At(2021, 7, 1));

        answer.Message.Text.Should().Contain("https://facebook.com/cchckh")
            .And.Contain("cchc.snv@khanhhoa.gov.vn (mailto:cchc.snv@khanhhoa.gov.vn)")
            .And.Contain("caicachhanhchinhkh@gmail.com")
            .And.Contain("Đĩa USB: Ban Thư ký cuộc thi")
            .And.Contain("E-Office")
            .And.Contain("trước 24h00 ngày 15/7/2021");
        answer.Message.Buttons.Should().Contain(ReplyButton.Link("Gửi e-mail cchc.snv@khanhhoa.gov.vn", "mailto:cchc.snv@khanhhoa.gov.vn"));
    }

    [Fact]
    public void Khanh_hoa_voting_and_funding_and_contacts()
    {
        Ask("khanh-hoa-2021", ContestTopic.Voting).Message.Text.Should().Contain("thời điểm tiến hành bình chọn");
        Ask("khanh-hoa-2021", ContestTopic.Prizes).Message.Text.Should().Contain("hỗ trợ một phần kinh phí");
        var contact = Ask("khanh-hoa-2021", ContestTopic.Contact);
        contact.Message.Text.Should().Contain("02583 810440 (tel:02583810440)").And.Contain("ông Nguyễn Văn Tú, Trưởng ban Thư ký cuộc thi, điện thoại 0914 233499 (tel:0914233499)");
        contact.Message.Buttons.Should().Contain(ReplyButton.Link("Gọi 0914 233499", "tel:0914233499"));
    }

    [Fact]
    public void Ha_noi_rules_cite_the_notice_and_forbid_copying()
    {
        var answer = Ask("ha-noi-2019", ContestTopic.Rules);

        answer.Message.Text.Should().Contain("Theo Thông báo số 254/TB-STTTT ngày 10/9/2019").And.Contain("không sao chép của nhau");
        Ask("ha-noi-2019", ContestTopic.Submission).Message.Text.Should().Contain("trước ngày 08/11/2019").And.Contain("trước ngày 15/11/2019");
    }

    [Fact]
    public void Bac_giang_registration_gives_both_links_and_the_typo_warning_but_no_typo_link()
    {
        var answer = Ask("bac-giang-2020", ContestTopic.Registration);

        answer.Message.Buttons.Select(b => b.Url).Should().BeEquivalentTo(["https://dichvucong.bacgiang.gov.vn", "http://thitructuyen.bacgiang.gov.vn"]);
        answer.Message.Text.Should().Contain("Lưu ý:").And.Contain("thitruuctuyen");
    }

    [Fact]
    public void Hai_phong_registration_offers_site_video_and_fanpage()
    {
        var answer = Ask("hai-phong-2024", ContestTopic.Registration);

        answer.Message.Buttons.Select(b => b.Url).Should().Equal(
            "http://thicchaiphong.hethong.vn/", "https://s.net.vn/nc52", "https://www.facebook.com/cchcthanhphohaiphong/");
        answer.Message.Text.Should().Contain("Phụ lục Hướng dẫn");
    }

    [Fact]
    public void Overview_cites_the_organizer_document()
    {
        var answer = Ask("hai-duong-2024", ContestTopic.Overview);

        answer.Message.Text.Should().Contain("Theo Công văn số 1587/CV-BTC ngày 14/11/2024 của Ban Tổ chức Cuộc thi trực tuyến");
        answer.CitedDocuments.Should().Contain(["notice", "cv-1587"]);
    }
}
