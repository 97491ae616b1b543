using System.Text.Json;
using CcBot.Core.Channels.Telegram;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

/// <summary>Telegram updates set aside after they could not be read or stored: who sent what, the error, the raw JSON.</summary>
public sealed class DeadLettersModel(TelegramDeadLetterStore store) : PageModel
{
    public IReadOnlyList<(TelegramDeadLetter Letter, string? Chat, string? Text)> Rows { get; private set; } = [];

    public long Total { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Total = await store.CountAsync(cancellationToken);
        Rows = [.. (await store.ListAsync(200, cancellationToken)).Select(l => (l, ChatOf(l.Raw), TextOf(l.Raw)))];
    }

    private static JsonElement? Message(string raw)
    {
        try
        {
            using var doc = JsonDocument.Parse(raw);
            foreach (var key in (string[])["message", "edited_message"])
            {
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(key, out var m) && m.ValueKind == JsonValueKind.Object)
                {
                    return m.Clone();
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static string? ChatOf(string raw) =>
        Message(raw) is { } m && m.TryGetProperty("chat", out var chat) && chat.ValueKind == JsonValueKind.Object && chat.TryGetProperty("id", out var id)
            ? id.ToString()
            : null;

    private static string? TextOf(string raw)
    {
        if (Message(raw) is not { } m)
        {
            return null;
        }

        foreach (var key in (string[])["text", "caption"])
        {
            if (m.TryGetProperty(key, out var t) && t.ValueKind == JsonValueKind.String)
            {
                return t.GetString();
            }
        }

        return null;
    }
}
