using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Quiz;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CcBot.Core.Tests.Quiz;

/// <summary>The quiz through the real router and pipeline in process (no classifier: typed text is only used inside dialogs).</summary>
public sealed class QuizPipelineTests
{
    private sealed class NoUnderstanding : ILanguageUnderstanding
    {
        public Understanding Understand(string text, bool namesContest = false) => new(UnderstandingKind.Unsure, "none", 0);
    }

    [Fact]
    public async Task A_telegram_style_answer_edits_the_question_in_place_and_an_old_button_gets_a_short_notice()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ccbot-quiz-pipeline", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataFolder"] = folder,
            ["Storage:Synchronous"] = "NORMAL",
            ["Content:Root"] = Repo.Root,
        }).Build();
        var clock = new ManualClock(VietnamTime.At(2024, 11, 25, 9, 0));
        var services = new ServiceCollection().AddLogging()
            .AddCcBotCore(configuration, Repo.Root)
            .AddCcBotContests(configuration)
            .AddCcBotQuiz(configuration);
        services.AddSingleton<ILanguageUnderstanding, NoUnderstanding>();
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        await using var provider = services.BuildServiceProvider();
        var inbox = provider.GetRequiredService<IInbox>();
        var store = provider.GetRequiredService<IConversationStore>();
        var from = new ConversationReference("telegram", "chat-1", "user-1", "Người dùng");
        var n = 0;

        async Task<IReadOnlyList<OutboundMessage>> SendAsync(string? text, string? value, string? replyTo = null)
        {
            var receipt = await inbox.SubmitAsync(new InboundActivity
            {
                Channel = "telegram",
                Id = "a" + n++,
                Kind = value is null ? ActivityKind.Message : ActivityKind.ButtonClick,
                From = from,
                Text = text,
                Value = value,
                Timestamp = clock.GetUtcNow(),
                Properties = replyTo is null ? InboundActivity.EmptyProperties : new Dictionary<string, string> { ["replyToBotMessageId"] = replyTo },
            }, CancellationToken.None);
            await receipt.Handled;
            var transcript = await store.ReadTranscriptAsync(from.ConversationKey, receipt.Seq, 50, CancellationToken.None);
            return transcript.Where(t => !t.Inbound).Select(t => PipelineJson.OutboundFrom(t.Text, t.Payload)).ToList();
        }

        await SendAsync(null, "quiz_contest:hai-duong-2024");
        await SendAsync("Trần Thị Bình", null);
        (await SendAsync("van phong so", null)).Single().Buttons.Select(b => b.Value).Should().Equal("pc:yes", "pc:no");
        await SendAsync(null, "pc:yes");
        var question = (await SendAsync(null, "quiz_contest:hai-duong-2024")).Last();
        question.Text.Should().Contain("Câu 1/10").And.Contain("còn 30 giây");

        clock.Advance(TimeSpan.FromSeconds(4));
        var next = (await SendAsync(null, question.Buttons[0].Value, replyTo: "msg-41")).Single();
        next.Text.Should().Contain("Câu 2/10").And.Contain("còn 30 giây");
        next.ReplacesChannelMessageId.Should().Be("msg-41", "Telegram edits the question message in place");

        var stale = (await SendAsync(null, question.Buttons[1].Value, replyTo: "msg-41")).Single();
        stale.Text.Should().Contain("không được tính");
        stale.ReplacesChannelMessageId.Should().BeNull();
    }
}
