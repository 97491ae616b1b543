namespace CcBot.Core.Text;

/// <summary>
/// Every user-facing sentence, loaded from the YAML files in <c>dialogs/</c>.
/// Placeholders are written <c>{name}</c>; a missing key is a start-up error, never a silent blank.
/// </summary>
public interface ITextCatalog
{
    /// <summary>The text for <paramref name="key"/> with <c>{placeholders}</c> replaced.</summary>
    string Get(string key, params (string Name, object? Value)[] args);

    bool Contains(string key);

    /// <summary>A menu (text and buttons) declared under <c>menus:</c>.</summary>
    MenuDefinition GetMenu(string key);
}

public sealed record MenuDefinition(string Key, string Text, IReadOnlyList<MenuButton> Buttons);

/// <summary>A declared button: <see cref="Action"/> is the payload that comes back when pressed, or <see cref="Url"/> is a link.</summary>
public sealed record MenuButton(string Title, string? Action, string? Url);
