using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.Dialogs;

/// <summary>Welcome, main menu, help, thanks and off-topic replies.</summary>
public sealed class ConversationActions(ITextCatalog texts) : IBotAction
{
    public IReadOnlyCollection<string> Names { get; } = ["welcome", "menu", "greeting_help", "thanks_bye", "out_of_scope"];

    public Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        var menu = texts.GetMenu("main");
        switch (name)
        {
            case "welcome":
                turn.Reply(MenuRendering.Render(menu, texts.Get("welcome", ("name", turn.User.DisplayName ?? texts.Get("welcome.anonymous")))));
                break;
            case "greeting_help":
                turn.Reply(MenuRendering.Render(menu, texts.Get("help")));
                break;
            case "thanks_bye":
                turn.Reply(texts.Get("thanks_bye"), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
                break;
            case "out_of_scope":
                turn.Reply(texts.Get("nlu.out_of_scope"), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
                break;
            default:
                turn.Reply(MenuRendering.Render(menu));
                break;
        }

        return Task.CompletedTask;
    }
}

/// <summary>"Gặp cán bộ hỗ trợ": starts the hand-off dialog.</summary>
public sealed class HumanAction(DialogRunner dialogs) : IBotAction
{
    public IReadOnlyCollection<string> Names { get; } = ["human"];

    public Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken) =>
        dialogs.BeginAsync(turn, HumanHandoffDialog.DialogId, argument, cancellationToken);
}

/// <summary>
/// Collects the question and a way to reach the user, then records an escalation for the help desk.
/// Two waiting steps, both persisted, so the hand-off survives a restart.
/// </summary>
public sealed class HumanHandoffDialog : IDialog
{
    public const string DialogId = "human_handoff";

    private const int AskQuestion = 0;
    private const int AskContact = 1;

    public string Id => DialogId;

    public Task<DialogStatus> BeginAsync(DialogContext dc, string? argument, CancellationToken cancellationToken)
    {
        dc.Frame.Step = AskQuestion;
        dc.Turn.Reply(dc.Texts.Get("human.ask_question"), [ReplyButton.Action(dc.Texts.Get("button.cancel"), "menu")]);
        return Task.FromResult(DialogStatus.Waiting);
    }

    public Task<DialogStatus> ContinueAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        var input = dc.Input;
        switch (dc.Frame.Step)
        {
            case AskQuestion:
                if (input.Length < 3)
                {
                    dc.Say("human.question_too_short");
                    return Task.FromResult(DialogStatus.Waiting);
                }

                dc.Frame.Data["question"] = input;
                dc.Frame.Step = AskContact;
                dc.Turn.Reply(dc.Texts.Get("human.ask_contact"), [ReplyButton.Action(dc.Texts.Get("button.skip"), "skip")]);
                return Task.FromResult(DialogStatus.Waiting);
            default:
                var contact = input == "skip" ? null : input;
                var question = dc.Frame.Data.GetValueOrDefault("question") ?? string.Empty;
                var text = contact is null ? question : $"{question}\n[Liên hệ: {contact}]";
                dc.Turn.Escalate(new EscalationRequest("human", text, "human", null, dc.Turn.State.ContestId));
                dc.Turn.Reply(dc.Texts.Get("human.done"), [ReplyButton.Action(dc.Texts.Get("button.menu"), "menu")]);
                return Task.FromResult(DialogStatus.Complete);
        }
    }
}
