using System.Globalization;
using CcBot.Core.Activities;
using CcBot.Core.Dialogs;

namespace CcBot.Core.Quiz;

/// <summary>
/// Practice: N random questions of the contest's bank at any time, right/wrong with the explanation after each answer,
/// unlimited rounds, nothing stored but the conversation state (question ids, position, score in the frame).
/// </summary>
public sealed class PracticeDialog(QuestionBanks banks, QuizSettingsCatalog settings) : IDialog
{
    public const string DialogId = "quiz.practice";
    public const string AnswerPrefix = "qp:";

    public string Id => DialogId;

    public async Task<DialogStatus> BeginAsync(DialogContext dc, string? argument, CancellationToken cancellationToken)
    {
        var contestId = argument ?? string.Empty;
        var bank = await banks.GetAsync(contestId, cancellationToken).ConfigureAwait(false);
        if (bank.Active.Count == 0)
        {
            dc.Turn.Reply(dc.Texts.Get("quiz.no_questions"), [ReplyButton.Action(dc.Texts.Get("button.menu"), "menu")]);
            return DialogStatus.Complete;
        }

        var size = settings.Find(contestId)?.PracticeSize ?? new QuizSettings().PracticeSize;
        var picked = bank.Active.ToArray();
        Random.Shared.Shuffle(picked);
        dc.Frame.Data["contest"] = contestId;
        dc.Frame.Data["questions"] = string.Join(',', picked.Take(size).Select(q => q.Id.ToString(CultureInfo.InvariantCulture)));
        dc.Frame.Data["score"] = "0";
        dc.Frame.Step = 0;
        dc.Turn.Reply(dc.Texts.Get("quiz.practice.intro", ("count", Math.Min(size, picked.Length))));
        dc.Turn.Reply(Render(dc, await CurrentAsync(dc, cancellationToken).ConfigureAwait(false)));
        return DialogStatus.Waiting;
    }

    public async Task<DialogStatus> ContinueAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        var question = await CurrentAsync(dc, cancellationToken).ConfigureAwait(false);
        if (question is null)
        {
            return DialogStatus.Complete;
        }

        IReadOnlyCollection<int>? chosen;
        if (dc.Input.StartsWith(AnswerPrefix, StringComparison.Ordinal))
        {
            var parts = dc.Input.Split(':');
            if (parts.Length != 3 || parts[1] != dc.Frame.Step.ToString(CultureInfo.InvariantCulture)
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var letter))
            {
                dc.Say("quiz.answer.not_current");
                return DialogStatus.Waiting;
            }

            chosen = [letter];
        }
        else if (dc.Turn.Activity.Kind == ActivityKind.ButtonClick)
        {
            dc.Say("quiz.answer.not_current");
            return DialogStatus.Waiting;
        }
        else if ((chosen = QuizRendering.ParseTyped(dc.Input, question.Options.Count)) is null)
        {
            dc.Say("quiz.answer.invalid", ("letters", string.Join(", ", Enumerable.Range(0, question.Options.Count).Select(QuizRendering.Letter))));
            return DialogStatus.Waiting;
        }

        var right = question.IsCorrect(chosen);
        var score = int.Parse(dc.Frame.Data["score"], CultureInfo.InvariantCulture) + (right ? 1 : 0);
        dc.Frame.Data["score"] = score.ToString(CultureInfo.InvariantCulture);
        var identity = Enumerable.Range(0, question.Options.Count).ToArray();
        var feedback = dc.Texts.Get(right ? "quiz.practice.right" : "quiz.practice.wrong", ("answer", QuizRendering.Letters(question.Correct, identity)));
        if (question.Explanation is { Length: > 0 } explanation)
        {
            feedback += "\n" + dc.Texts.Get("quiz.practice.explanation", ("text", explanation));
        }

        feedback += "\n" + dc.Texts.Get("quiz.practice.source", ("source", question.Source));
        dc.Turn.Reply(feedback);

        dc.Frame.Step++;
        var next = await CurrentAsync(dc, cancellationToken).ConfigureAwait(false);
        if (next is null)
        {
            var total = dc.Frame.Data["questions"].Split(',').Length;
            var contest = dc.Frame.Data["contest"];
            dc.Turn.Reply(dc.Texts.Get("quiz.practice.done", ("correct", score), ("total", total)),
            [
                ReplyButton.Action(dc.Texts.Get("quiz.button.practice_again"), "quiz_practice:" + contest),
                ReplyButton.Action(dc.Texts.Get("quiz.button.contest"), "quiz_contest:" + contest),
                ReplyButton.Action(dc.Texts.Get("button.menu"), "menu"),
            ]);
            return DialogStatus.Complete;
        }

        dc.Turn.Reply(Render(dc, next));
        return DialogStatus.Waiting;
    }

    private static OutboundMessage Render(DialogContext dc, QuizQuestion? question)
    {
        var ids = dc.Frame.Data["questions"].Split(',');
        var order = Enumerable.Range(0, question!.Options.Count).ToArray();
        return QuizRendering.Question(dc.Texts, dc.Frame.Step + 1, ids.Length, question, order,
            string.Create(CultureInfo.InvariantCulture, $"{AnswerPrefix}{dc.Frame.Step}:"), null, null);
    }

    private async Task<QuizQuestion?> CurrentAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        var ids = dc.Frame.Data.GetValueOrDefault("questions")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (dc.Frame.Step >= ids.Length)
        {
            return null;
        }

        var bank = await banks.GetAsync(dc.Frame.Data["contest"], cancellationToken).ConfigureAwait(false);
        return bank.ById.GetValueOrDefault(long.Parse(ids[dc.Frame.Step], CultureInfo.InvariantCulture));
    }
}
