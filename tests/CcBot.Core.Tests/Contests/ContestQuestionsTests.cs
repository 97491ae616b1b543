using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;
using CcBot.Core.Time;

namespace CcBot.Core.Tests.Contests;

/// <summary>Fact-level answers over the five contests, the classifier left out (its intent is given).</summary>
public sealed class ContestQuestionsTests
{
    private static readonly Lazy<ITextCatalog> AllTexts = new(() => YamlTextCatalog.LoadFolder(Path.Combine(Repo.Root, "dialogs")));

    private static readonly Lazy<ContestQuestions> Questions = new(() =>
        new ContestQuestions(new ContestFactIndex(Repo.Catalog, AllTexts.Value), Repo.Catalog, new ContestResolver(Repo.Catalog.Contests), AllTexts.Value));

    private static readonly DateTimeOffset Now = VietnamTime.At(2026, 12, 7, 10, 0);

    /// <summary>Asks in one conversation; returns the reply text (null when the question was not taken).</summary>
    private static string? Ask(ConversationState state, string text, string? intent = null)
    {
        var turn = Turn(state, text);
        var understanding = intent is null ? new Understanding(UnderstandingKind.Unsure, "", 0.2) : new Understanding(UnderstandingKind.Intent, intent, 0.9);
        return Questions.Value.TryAnswer(turn, text, understanding) ? turn.Replies.Single().Text : null;
    }

    [Fact]
    public void A_follow_up_keeps_the_subject_and_the_contest_of_the_question_before()
    {
        var state = new ConversationState();
        Ask(state, "số điện thoại trưởng ban thư ký khánh hòa").Should().Contain("0914 233499");
        Ask(state, "thế còn hạn nộp?").Should().Contain("trước 24h00 ngày 15/7/2021").And.Contain("Khánh Hòa");
        Ask(state, "còn Hải Dương thì sao").Should().Contain("16h30 ngày 13/12/2024", "the subject (a deadline) carries to the contest named");
        Ask(state, "số điện thoại người nhận báo cáo").Should().Contain("0989.568.808");
        state.ContestId.Should().Be("hai-duong-2024");
    }

    [Fact]
    public void A_question_naming_no_contest_goes_to_the_one_whose_notice_alone_has_its_words()
    {
        Ask(new ConversationState(), "bàn giao bài về sở tư pháp trước ngày nào").Should().StartWith("**Cuộc thi sáng kiến CCHC, một cửa Hà Nội 2019**")
            .And.Contain("trước ngày 15/11/2019").And.Contain("(Theo Thông báo số 254/TB-STTTT");
        Ask(new ConversationState { ContestId = "hai-duong-2024" }, "hạn gửi sản phẩm dự thi vòng sơ khảo").Should().Contain("Khánh Hòa").And.Contain("trước 24h00 ngày 15/7/2021");
    }

    [Fact]
    public void A_question_several_contests_could_mean_is_asked_back_and_answered_once_one_is_chosen()
    {
        var state = new ConversationState();
        var turn = Turn(state, "hạn chót là khi nào");
        Questions.Value.TryAnswer(turn, "hạn chót là khi nào", new Understanding(UnderstandingKind.Intent, "schedule", 0.9)).Should().BeTrue();
        turn.Replies.Single().Text.Should().Contain("cuộc thi nào");
        turn.Replies.Single().Buttons.Should().Contain(b => b.Value == "contest:bac-giang-2020|question").And.HaveCount(5);

        state.ContestId = "bac-giang-2020";
        var chosen = Turn(state, "contest:bac-giang-2020|question");
        Questions.Value.TryAnswerPending(chosen).Should().BeTrue();
        chosen.Replies.Single().Text.Should().Contain("8h00 ngày 15/10/2020").And.Contain("đã kết thúc");
    }

    [Fact]
    public void What_no_notice_states_is_said_to_be_unstated_with_the_contacts_and_a_human()
    {
        var reply = Questions.Value;
        var turn = Turn(new ConversationState(), "giải thưởng cuộc thi hải dương là gì");
        reply.TryAnswer(turn, turn.Activity.Text!, new Understanding(UnderstandingKind.Unsure, "", 0.2)).Should().BeTrue();
        var message = turn.Replies.Single();
        message.Text.Should().Contain("không nêu giải thưởng").And.Contain("CcBot không đoán").And.Contain("0989.568.808").And.NotContain("chưa công bố");
        message.Buttons.Should().Contain(b => b.Value == "human");
    }

    [Fact]
    public void A_long_fact_is_cut_to_one_screen_and_keeps_its_citation_and_whole_section_button()
    {
        var turn = Turn(new ConversationState(), "các cơ quan chuyên môn hải phòng phải làm gì cho hội thi");
        Questions.Value.TryAnswer(turn, turn.Activity.Text!, new Understanding(UnderstandingKind.Unsure, "", 0.2)).Should().BeTrue();
        var message = turn.Replies.Single();
        message.Text.Length.Should().BeLessThanOrEqualTo(ContestQuestions.MaxAnswerChars);
        message.Text.Should().Contain("phổ biến Kế hoạch tổ chức Hội thi").And.EndWith(")").And.Contain("(Theo Công văn /BTC-NV");
        message.Buttons.Should().Contain(b => b.Value == "contest:hai-phong-2024|rules");
    }

    [Fact]
    public void Questions_are_read_folded_with_abbreviations_expanded_whatever_the_normalization()
    {
        var nfc = Questions.Value.Explain("sđt btc khánh hòa", "khanh-hoa-2021", null).First();
        var nfd = Questions.Value.Explain("sđt btc khánh hòa".Normalize(System.Text.NormalizationForm.FormD), "khanh-hoa-2021", null).First();
        nfd.Should().Be(nfc);
        nfc.Should().Contain("dien thoai").And.Contain("cues: Contact,Organizer");
    }

    private static TurnContext Turn(ConversationState state, string text) => new(
        new InboundActivity { Channel = "test", Id = Guid.NewGuid().ToString("N"), Kind = ActivityKind.Message, From = new ConversationReference("test", "c", "u", "U"), Text = text, Timestamp = Now },
        state, new UserProfile { Channel = "test", ChannelUserId = "u" }, Now);
}
