using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.Dialogs;

/// <summary>
/// Something the bot does in one go, reached by name from a button payload (<c>name</c> or <c>name:argument</c>),
/// a command, or a classified intent of the same name.
/// </summary>
public interface IBotAction
{
    /// <summary>Action names: the NLU intents (rules, schedule, ...) plus menu-only actions.</summary>
    IReadOnlyCollection<string> Names { get; }

    Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken);
}

/// <summary>Builds neutral buttons from a declared menu.</summary>
public static class MenuRendering
{
    public static OutboundMessage Render(MenuDefinition menu, string? textOverride = null) => new()
    {
        Text = textOverride ?? menu.Text,
        Buttons = menu.Buttons.Select(b => b.Url is not null ? ReplyButton.Link(b.Title, b.Url) : ReplyButton.Action(b.Title, b.Action!)).ToList(),
    };

    /// <summary>Splits a payload <c>name:argument</c>.</summary>
    public static (string Name, string? Argument) ParsePayload(string payload)
    {
        var i = payload.IndexOf(':', StringComparison.Ordinal);
        return i < 0 ? (payload, null) : (payload[..i], payload[(i + 1)..]);
    }
}
