using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.Dialogs;

public enum DialogStatus
{
    /// <summary>The dialog asked something and waits for the next message.</summary>
    Waiting,
    /// <summary>The dialog is finished and leaves the stack.</summary>
    Complete,
}

/// <summary>
/// A multi-turn conversation with explicit steps. Its whole state lives in <see cref="DialogFrame"/>
/// (persisted after every turn), so a dialog resumes after a restart.
/// </summary>
public interface IDialog
{
    string Id { get; }

    Task<DialogStatus> BeginAsync(DialogContext dc, string? argument, CancellationToken cancellationToken);

    Task<DialogStatus> ContinueAsync(DialogContext dc, CancellationToken cancellationToken);
}

/// <summary>What a dialog step sees: the turn, its own frame and the texts.</summary>
public sealed class DialogContext(TurnContext turn, DialogFrame frame, ITextCatalog texts)
{
    public TurnContext Turn { get; } = turn;

    public DialogFrame Frame { get; } = frame;

    public ITextCatalog Texts { get; } = texts;

    /// <summary>The user's input for this step: a button payload, or the typed text.</summary>
    public string Input => (Turn.Activity.Kind == ActivityKind.ButtonClick ? Turn.Activity.Value : Turn.Activity.Text)?.Trim() ?? string.Empty;

    public void Say(string key, params (string Name, object? Value)[] args) => Turn.Reply(Texts.Get(key, args));
}

/// <summary>Starts, continues and cancels dialogs on the conversation's stack.</summary>
public sealed class DialogRunner(IEnumerable<IDialog> dialogs, ITextCatalog texts)
{
    private readonly Dictionary<string, IDialog> _dialogs = dialogs.ToDictionary(d => d.Id, StringComparer.Ordinal);

    public bool HasActive(TurnContext turn) => turn.State.Stack.Count > 0;

    /// <summary>Starts a dialog; an active one is cancelled first (one conversation topic at a time).</summary>
    public async Task BeginAsync(TurnContext turn, string dialogId, string? argument, CancellationToken cancellationToken)
    {
        if (!_dialogs.TryGetValue(dialogId, out var dialog))
        {
            throw new InvalidOperationException($"Unknown dialog '{dialogId}'.");
        }

        turn.State.Stack.Clear();
        var frame = new DialogFrame { DialogId = dialogId };
        turn.State.Stack.Add(frame);
        var status = await dialog.BeginAsync(new DialogContext(turn, frame, texts), argument, cancellationToken).ConfigureAwait(false);
        if (status == DialogStatus.Complete)
        {
            turn.State.Stack.Remove(frame);
        }
    }

    /// <summary>Gives the turn to the active dialog. False when no dialog is active (or it is unknown after an upgrade).</summary>
    public async Task<bool> ContinueAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.State.Stack.Count == 0)
        {
            return false;
        }

        var frame = turn.State.Stack[^1];
        if (!_dialogs.TryGetValue(frame.DialogId, out var dialog))
        {
            turn.State.Stack.Clear();
            return false;
        }

        var status = await dialog.ContinueAsync(new DialogContext(turn, frame, texts), cancellationToken).ConfigureAwait(false);
        if (status == DialogStatus.Complete)
        {
            turn.State.Stack.Remove(frame);
        }

        return true;
    }

    public void CancelAll(TurnContext turn) => turn.State.Stack.Clear();
}
