using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.Dialogs;

/// <summary>Menu entries whose slices are not built yet: the bot says so plainly instead of pretending.</summary>
public sealed class PendingFeatureActions(ITextCatalog texts) : IBotAction
{
    public IReadOnlyCollection<string> Names { get; } = ["quiz_start", "results"];

    public Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        turn.Reply(texts.Get("feature.not_ready"), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
        return Task.CompletedTask;
    }
}
