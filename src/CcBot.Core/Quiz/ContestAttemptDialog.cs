using System.Globalization;
using CcBot.Core.Activities;
using CcBot.Core.Dialogs;

namespace CcBot.Core.Quiz;

/// <summary>
/// A contest attempt in chat. The frame holds only the attempt id and the step; the attempt itself (questions, current
/// index, timing) is in the store, so the dialog resumes after a restart. Answer buttons carry
/// <c>qa:&lt;attempt&gt;:&lt;index&gt;:&lt;letter&gt;</c>, so a double tap, an old button or a replay is recognised and ignored.
/// No feedback until the end; then the optional prediction question, then score, time and rank.
/// </summary>
public sealed class ContestAttemptDialog(ContestAttempts attempts, IQuizStore store, QuestionBanks banks, QuizSettingsCatalog settings, QuizResults results) : IDialog
{
    public const string DialogId = "quiz.attempt";
    public const string AnswerPrefix = "qa:";
    public const string SkipPrediction = "qpred:skip";

    private const int StepAnswering = 0;
    private const int StepPrediction = 1;

    public string Id => DialogId;

    public async Task<DialogStatus> BeginAsync(DialogContext dc, string? argument, CancellationToken cancellationToken)
    {
        var attempt = argument is null ? null : await store.GetAttemptAsync(argument, cancellationToken).ConfigureAwait(false);
        if (attempt is null)
        {
            return DialogStatus.Complete;
        }

        dc.Frame.Data["attempt"] = attempt.Id;
        dc.Frame.Step = StepAnswering;
        attempt = await attempts.CloseIfOverdueAsync(attempt, dc.Turn.Now, cancellationToken).ConfigureAwait(false);
        if (attempt.IsOver)
        {
            return await EndAsync(dc, attempt, cancellationToken).ConfigureAwait(false);
        }

        await AskAsync(dc, attempt, null, cancellationToken).ConfigureAwait(false);
        return DialogStatus.Waiting;
    }

    public async Task<DialogStatus> ContinueAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        var attemptId = dc.Frame.Data.GetValueOrDefault("attempt");
        var attempt = attemptId is null ? null : await store.GetAttemptAsync(attemptId, cancellationToken).ConfigureAwait(false);
        if (attempt is null)
        {
            return DialogStatus.Complete;
        }

        return dc.Frame.Step == StepPrediction
            ? await PredictAsync(dc, attempt, cancellationToken).ConfigureAwait(false)
            : await AnswerAsync(dc, attempt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogStatus> AnswerAsync(DialogContext dc, QuizAttempt attempt, CancellationToken cancellationToken)
    {
        var input = dc.Input;
        int index;
        IReadOnlyCollection<int>? letters;
        if (input.StartsWith(AnswerPrefix, StringComparison.Ordinal))
        {
            var parts = input.Split(':');
            if (parts.Length != 4 || parts[1] != attempt.Id
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out index)
                || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var letter))
            {
                dc.Say("quiz.answer.not_current");
                return DialogStatus.Waiting;
            }

            letters = [letter];
        }
        else if (dc.Turn.Activity.Kind == ActivityKind.ButtonClick)
        {
            // A button of another screen (e.g. a practice answer) while the attempt runs.
            dc.Say("quiz.answer.not_current");
            return DialogStatus.Waiting;
        }
        else
        {
            index = attempt.CurrentIndex;
            var optionCount = attempt.IsOver || index >= attempt.Questions.Count ? 0 : attempt.Questions[index].Order.Count;
            letters = QuizRendering.ParseTyped(input, optionCount);
            if (letters is null && !attempt.IsOver)
            {
                dc.Say("quiz.answer.invalid", ("letters", string.Join(", ", Enumerable.Range(0, optionCount).Select(QuizRendering.Letter))));
                return DialogStatus.Waiting;
            }

            letters ??= [];
        }

        var result = await attempts.AnswerAsync(attempt, index, letters, dc.Turn.Now, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case AnswerStatus.Over:
                return await EndAsync(dc, result.Attempt, cancellationToken).ConfigureAwait(false);
            case AnswerStatus.NotCurrent:
                dc.Say("quiz.answer.not_current");
                return DialogStatus.Waiting;
            case AnswerStatus.Late:
                dc.Say("quiz.answer.late");
                break;
        }

        if (result.Attempt.IsOver)
        {
            return await EndAsync(dc, result.Attempt, cancellationToken).ConfigureAwait(false);
        }

        var replaces = dc.Turn.Activity.Kind == ActivityKind.ButtonClick && result.Status == AnswerStatus.Accepted ? dc.Turn.Activity.Properties.GetValueOrDefault("replyToBotMessageId") : null;
        await AskAsync(dc, result.Attempt, replaces, cancellationToken).ConfigureAwait(false);
        return DialogStatus.Waiting;
    }

    private async Task<DialogStatus> EndAsync(DialogContext dc, QuizAttempt attempt, CancellationToken cancellationToken)
    {
        var quiz = settings.Find(attempt.ContestId);
        if (quiz is { PredictionQuestion: true } && attempt.Prediction is null)
        {
            dc.Frame.Step = StepPrediction;
            dc.Turn.Reply(dc.Texts.Get(attempt.Status == AttemptStatus.Expired ? "quiz.prediction.ask_expired" : "quiz.prediction.ask", ("seconds", quiz.PredictionSeconds)),
                [ReplyButton.Action(dc.Texts.Get("button.skip"), SkipPrediction)]);
            return DialogStatus.Waiting;
        }

        await results.ReplyAttemptResultAsync(dc.Turn, attempt, cancellationToken).ConfigureAwait(false);
        return DialogStatus.Complete;
    }

    private async Task<DialogStatus> PredictAsync(DialogContext dc, QuizAttempt attempt, CancellationToken cancellationToken)
    {
        if (dc.Input.StartsWith(AnswerPrefix, StringComparison.Ordinal))
        {
            dc.Say("quiz.answer.not_current");
            return DialogStatus.Waiting;
        }

        if (dc.Input != SkipPrediction)
        {
            var digits = new string(dc.Input.Where(c => !char.IsWhiteSpace(c) && c is not '.' and not ',').ToArray());
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var prediction) || prediction > 100_000_000)
            {
                dc.Turn.Reply(dc.Texts.Get("quiz.prediction.invalid"), [ReplyButton.Action(dc.Texts.Get("button.skip"), SkipPrediction)]);
                return DialogStatus.Waiting;
            }

            var quiz = settings.Find(attempt.ContestId) ?? new QuizSettings();
            dc.Say(await attempts.PredictAsync(attempt, prediction, quiz, dc.Turn.Now, cancellationToken).ConfigureAwait(false)
                ? "quiz.prediction.saved"
                : "quiz.prediction.too_late");
        }

        await results.ReplyAttemptResultAsync(dc.Turn, attempt, cancellationToken).ConfigureAwait(false);
        return DialogStatus.Complete;
    }

    private async Task AskAsync(DialogContext dc, QuizAttempt attempt, string? replaces, CancellationToken cancellationToken)
    {
        var drawn = attempt.Questions[attempt.CurrentIndex];
        var bank = await banks.GetAsync(attempt.ContestId, cancellationToken).ConfigureAwait(false);
        var question = bank.ById[drawn.QuestionId];
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{AnswerPrefix}{attempt.Id}:{attempt.CurrentIndex}:");
        dc.Turn.Reply(QuizRendering.Question(dc.Texts, attempt.CurrentIndex + 1, attempt.Questions.Count, question, drawn.Order, prefix,
            attempt.CurrentQuestionDeadline - dc.Turn.Now, replaces));
    }
}
