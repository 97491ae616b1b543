using System.CommandLine;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;

namespace CcBot.Host.Cli;

/// <summary><c>chat</c>: the same bot and database in the terminal; buttons are numbered choices.</summary>
internal static class ChatCommand
{
    public const string Channel = "console";

    public static Command Create(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "User id for this terminal conversation (default: the OS user name)." };
        var command = new Command("chat", "Chat with the bot in the terminal (buttons shown as numbered choices).") { user };
        command.SetAction(async (parse, ct) =>
        {
            var userId = parse.GetValue(user) is { Length: > 0 } u ? u : Environment.UserName;
            var console = new ConsoleRenderer(context.Output);
            using var host = CliRoot.BuildServices(context, s => s.AddSingleton<IChannelSender>(console));
            // The web host loads the classifier at start; the terminal chat loads it here (keywords if that fails).
            await host.Services.GetRequiredService<CcBot.Core.Nlu.NluEngineLoader>().LoadAsync(ct);
            var session = new ConsoleChatSession(host.Services.GetRequiredService<IInbox>(), host.Services.GetRequiredService<TimeProvider>(), console, userId);
            return await session.RunAsync(context.Input, ct);
        });
        return command;
    }
}

/// <summary>Prints replies and remembers the last buttons so a typed number presses one.</summary>
internal sealed class ConsoleRenderer(TextWriter output) : IChannelSender
{
    private readonly object _gate = new();

    public string Channel => ChatCommand.Channel;

    public IReadOnlyList<ReplyButton> LastButtons { get; private set; } = [];

    /// <summary>Prints a line of the terminal itself (not a bot reply).</summary>
    public void Note(string text)
    {
        lock (_gate)
        {
            output.WriteLine("  " + text);
            output.Flush();
        }
    }

    public Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            output.WriteLine();
            output.WriteLine("CcBot: " + message.Message.Text.Replace("**", string.Empty, StringComparison.Ordinal).Replace("\n", "\n       ", StringComparison.Ordinal));
            if (message.Message.Buttons.Count > 0)
            {
                for (var i = 0; i < message.Message.Buttons.Count; i++)
                {
                    var b = message.Message.Buttons[i];
                    output.WriteLine($"  [{i + 1}] {b.Title}{(b.Url is null ? string.Empty : "  →  " + b.Url)}");
                }

                LastButtons = message.Message.Buttons;
            }

            output.Flush();
        }

        return Task.FromResult(SendOutcome.Ok(message.ActivityId));
    }
}

internal sealed class ConsoleChatSession(IInbox inbox, TimeProvider clock, ConsoleRenderer renderer, string userId)
{
    private readonly ConversationReference _reference = new(ChatCommand.Channel, "console-" + userId, userId, userId);

    public async Task<int> RunAsync(TextReader input, CancellationToken ct)
    {
        await SubmitAsync(ActivityKind.ConversationStarted, null, null, ct);
        while (!ct.IsCancellationRequested)
        {
            Console.Out.Flush();
            var line = await input.ReadLineAsync(ct);
            if (line is null || line.Trim() is "/quit" or "/exit" or "thoát")
            {
                return 0;
            }

            var trimmed = line.Trim();
            var buttons = renderer.LastButtons;
            if (buttons.Count > 0 && int.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                if (n < 1 || n > buttons.Count)
                {
                    renderer.Note($"Hãy gõ một số từ 1 đến {buttons.Count}, hoặc gõ câu hỏi của bạn.");
                    continue;
                }

                var button = buttons[n - 1];
                if (button.Url is not null)
                {
                    // A link button opens a page: the terminal prints its address.
                    renderer.Note($"{button.Title}: {button.Url}");
                    continue;
                }

                if (button.Value is not null)
                {
                    await SubmitAsync(ActivityKind.ButtonClick, button.Title, button.Value, ct);
                    continue;
                }
            }

            await SubmitAsync(ActivityKind.Message, line, null, ct);
        }

        return 0;
    }

    private async Task SubmitAsync(ActivityKind kind, string? text, string? value, CancellationToken ct)
    {
        var receipt = await inbox.SubmitAsync(new InboundActivity
        {
            Channel = ChatCommand.Channel,
            Id = Guid.NewGuid().ToString("N"),
            Kind = kind,
            From = _reference,
            Text = text,
            Value = value,
            Timestamp = clock.GetUtcNow(),
        }, ct);
        await receipt.Handled.WaitAsync(ct);
    }
}
