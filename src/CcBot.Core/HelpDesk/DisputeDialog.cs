using CcBot.Core.Activities;
using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;

namespace CcBot.Core.HelpDesk;

/// <summary>"Phản ánh về kết quả" under a quiz result (button <c>dispute:{contest}</c>): starts the dispute dialog.</summary>
public sealed class DisputeAction(DialogRunner dialogs) : IBotAction
{
    public const string Name = "dispute";

    public IReadOnlyCollection<string> Names { get; } = [Name];

    public Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken) =>
        dialogs.BeginAsync(turn, DisputeDialog.DialogId, argument, cancellationToken);
}

/// <summary>Asks what is wrong with the quiz result, then records a <c>dispute</c> escalation for the help desk.</summary>
public sealed class DisputeDialog : IDialog
{
    public const string DialogId = "quiz_dispute";

    public string Id => DialogId;

    public Task<DialogStatus> BeginAsync(DialogContext dc, string? argument, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(argument))
        {
            dc.Frame.Data["contest"] = argument;
        }

        dc.Turn.Reply(dc.Texts.Get("helpdesk.dispute.ask"), [ReplyButton.Action(dc.Texts.Get("button.cancel"), "menu")]);
        return Task.FromResult(DialogStatus.Waiting);
    }

    public Task<DialogStatus> ContinueAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        var input = dc.Input;
        if (input.Length < 3)
        {
            dc.Turn.Reply(dc.Texts.Get("helpdesk.dispute.too_short"), [ReplyButton.Action(dc.Texts.Get("button.cancel"), "menu")]);
            return Task.FromResult(DialogStatus.Waiting);
        }

        var contest = dc.Frame.Data.GetValueOrDefault("contest") ?? dc.Turn.State.ContestId;
        dc.Turn.Escalate(new EscalationRequest("dispute", input, null, null, contest));
        dc.Turn.Reply(dc.Texts.Get("helpdesk.dispute.done"), [ReplyButton.Action(dc.Texts.Get("button.menu"), "menu")]);
        return Task.FromResult(DialogStatus.Complete);
    }
}
