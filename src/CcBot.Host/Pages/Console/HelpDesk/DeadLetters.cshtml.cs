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
        Rows = [.. (await store.ListAsync(200, cancellationToken)).Select(Describe)];
    }

    /// <summary>The chat and the text (or caption) of a dead letter's message, read from its raw JSON once; null where absent or unreadable.</summary>
    private static (TelegramDeadLetter Letter, string? Chat, string? Text) Describe(TelegramDeadLetter letter)
    {
        try
        {
            using var doc = JsonDocument.Parse(letter.Raw);
            var root = doc.RootElement;
            foreach (var key in (string[])["message", "edited_message"])
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(key, out var m) && m.ValueKind == JsonValueKind.Object)
                {
                    var chat = m.TryGetProperty("chat", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("id", out var id) ? id.ToString() : null;
                    var text = m.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                        : m.TryGetProperty("caption", out var cap) && cap.ValueKind == JsonValueKind.String ? cap.GetString() : null;
                    return (letter, chat, text);
                }
            }
        }
        catch (JsonException)
        {
        }

        return (letter, null, null);
    }
}
