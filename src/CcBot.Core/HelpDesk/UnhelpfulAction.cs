using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.HelpDesk;

/// <summary>
/// "Chưa hữu ích" under an FAQ answer: the question the answer was for goes to the help desk's misunderstood inbox
/// (escalation reason <c>unhelpful</c>) and the user is thanked and offered a human.
/// </summary>
public sealed class UnhelpfulAction(ITextCatalog texts) : IBotAction
{
    public const string Name = "unhelpful";
    public const string LastQuestionKey = "helpdesk.last_faq_question";

    public IReadOnlyCollection<string> Names { get; } = [Name];

    public Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        if (turn.State.Values.Remove(LastQuestionKey, out var question) && !string.IsNullOrWhiteSpace(question))
        {
            turn.Escalate(new EscalationRequest("unhelpful", question, null, null, turn.State.ContestId));
        }

        turn.Reply(texts.Get("helpdesk.unhelpful_thanks"),
        [
            Activities.ReplyButton.Action(texts.Get("helpdesk.button_human"), "human"),
            Activities.ReplyButton.Action(texts.Get("button.menu"), "menu"),
        ]);
        return Task.CompletedTask;
    }
}
