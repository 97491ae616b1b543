using System.Globalization;
using System.Text;
using CcBot.Core.Activities;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;
using CcBot.Nlu;

namespace CcBot.Core.Dialogs;

/// <summary>
/// Routes a turn, in this order: conversation start → unreadable content → command (/start, /help, ...) →
/// button payload → active dialog → intent classifier → FAQ → "not sure" with an escalation record.
/// </summary>
public sealed class Router(
    IEnumerable<IBotAction> actions,
    DialogRunner dialogs,
    ILanguageUnderstanding understanding,
    IContestContext contests,
    IEnumerable<IContestQuestions> questions,
    Telemetry.CcBotMetrics metrics,
    ITextCatalog texts) : ITurnHandler
{
    private readonly Dictionary<string, IBotAction> _actions = BuildActionMap(actions);

    /// <summary>Telegram-style commands and the actions they run.</summary>
    private static readonly Dictionary<string, string> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/help"] = "greeting_help",
        ["/menu"] = "menu",
        ["/thi"] = "quiz_start",
        ["/nhacnho"] = "subscribe",
        ["/huynhac"] = "unsubscribe",
        ["/lienhe"] = "contact",
        ["/thele"] = "rules",
        ["/thoigian"] = "schedule",
        ["/cuocthi"] = "choose_contest",
        ["/dulieu"] = "privacy",
    };

    /// <summary>
    /// Phrases (folded) that ask about one's personal data: answered by the privacy action before the classifier, which has no
    /// intent for them (Nghị định 13/2023/NĐ-CP: the person must be able to ask in their own words).
    /// </summary>
    private static readonly string[] PrivacyPhrases =
        ["du lieu cua toi", "du lieu ca nhan", "xoa du lieu", "xoa thong tin cua toi", "rut lai dong y", "rut lai su dong y", "thong tin ca nhan cua toi"];

    /// <summary>State key set once the conversation got its welcome (a later client join is not greeted again).</summary>
    private const string GreetedKey = "greeted";

    private static readonly HashSet<string> CancelWords = new(StringComparer.Ordinal) { "huy", "thoat", "menu", "dung", "quay lai", "cancel" };

    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        switch (activity.Kind)
        {
            case ActivityKind.Event:
                return;
            case ActivityKind.ConversationStarted when activity.Properties.ContainsKey(InboundActivity.JoinProperty)
                                                       && turn.State.Values.ContainsKey(GreetedKey):
                return;
            case ActivityKind.ConversationStarted:
                await StartAsync(turn, activity.Properties.GetValueOrDefault("start"), cancellationToken).ConfigureAwait(false);
                return;
            case ActivityKind.Unsupported:
                turn.Reply(texts.Get("input.unsupported"));
                return;
            case ActivityKind.ButtonClick when !string.IsNullOrEmpty(activity.Value):
                await HandleButtonAsync(turn, activity.Value, cancellationToken).ConfigureAwait(false);
                return;
        }

        var text = activity.Text?.Trim() ?? string.Empty;
        if (text.Length == 0 || !text.Any(char.IsLetterOrDigit))
        {
            // Punctuation-only text, or a file sent without text (an entry upload), goes to the active dialog.
            if (dialogs.HasActive(turn) && (text.Length > 0 || activity.Attachments.Count > 0))
            {
                await dialogs.ContinueAsync(turn, cancellationToken).ConfigureAwait(false);
                return;
            }

            turn.Reply(activity.Attachments.Count > 0 ? texts.Get("input.attachment_only") : texts.Get("input.empty"), MainMenuButtons());
            return;
        }

        if (activity.Properties.ContainsKey("truncated"))
        {
            turn.Reply(texts.Get("input.too_long"));
        }

        if (text[0] == '/')
        {
            await HandleCommandAsync(turn, text, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Asked even in the middle of a dialog (a quiz, a form): the dialog goes on with the next message.
        var folded = DiacriticFolder.FoldForMatching(text);
        if (PrivacyPhrases.Any(p => folded.Contains(p, StringComparison.Ordinal)) && _actions.ContainsKey("privacy"))
        {
            await RunActionAsync(turn, "privacy", null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (dialogs.HasActive(turn))
        {
            if (CancelWords.Contains(DiacriticFolder.FoldForMatching(text)))
            {
                dialogs.CancelAll(turn);
                await RunActionAsync(turn, "menu", null, cancellationToken).ConfigureAwait(false);
                return;
            }

            await dialogs.ContinueAsync(turn, cancellationToken).ConfigureAwait(false);
            return;
        }

        var named = contests.NamesContest(text);
        var switched = named && contests.TrySwitchByText(turn, text);
        await understanding.WhenReadyAsync(cancellationToken).ConfigureAwait(false);
        var u = understanding.Understand(text, named);
        turn.Trace["nlu.kind"] = u.Kind.ToString();
        turn.Trace["nlu.intent"] = u.Intent;
        turn.Trace["nlu.confidence"] = u.Confidence.ToString("0.000", CultureInfo.InvariantCulture);
        // The exact question about a contest (a deadline, a phone number, "còn thi được không") before the intent's whole section.
        if (questions.Any(q => q.TryAnswer(turn, text, u)))
        {
            turn.Trace["facts"] = "1";
            metrics.Routed("facts");
            return;
        }

        metrics.Routed(u.Kind switch
        {
            UnderstandingKind.Intent when _actions.ContainsKey(u.Intent) => "intent",
            UnderstandingKind.Faq when u.Faq is not null => "faq",
            UnderstandingKind.OutOfScope => "out_of_scope",
            _ => "unsure",
        });

        switch (u.Kind)
        {
            case UnderstandingKind.Intent when _actions.ContainsKey(u.Intent):
                await RunActionAsync(turn, u.Intent, null, cancellationToken).ConfigureAwait(false);
                break;
            case UnderstandingKind.Faq when u.Faq is not null:
                turn.State.Values[HelpDesk.UnhelpfulAction.LastQuestionKey] = text;
                turn.Reply(texts.Get("faq.answer", ("answer", u.Faq.Answer), ("source", u.Faq.Source ?? texts.Get("faq.default_source"))),
                    [.. MainMenuButtons(), ReplyButton.Action(texts.Get("helpdesk.button_unhelpful"), HelpDesk.UnhelpfulAction.Name)]);
                break;
            case UnderstandingKind.Unsure when switched:
                await RunActionAsync(turn, "overview", null, cancellationToken).ConfigureAwait(false);
                break;
            case UnderstandingKind.OutOfScope:
                turn.Reply(texts.Get("nlu.out_of_scope"), MainMenuButtons());
                break;
            default:
                turn.Reply(texts.Get("nlu.unsure"), [ReplyButton.Action(texts.Get("button.human"), "human"), ReplyButton.Action(texts.Get("button.menu"), "menu")]);
                turn.Escalate(new EscalationRequest("low_confidence", text, u.Intent, u.Confidence, turn.State.ContestId));
                break;
        }
    }

    private async Task StartAsync(TurnContext turn, string? startPayload, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(startPayload))
        {
            contests.TrySelect(turn, startPayload.Trim());
        }

        turn.State.Values[GreetedKey] = "1";
        await RunActionAsync(turn, "welcome", null, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleCommandAsync(TurnContext turn, string text, CancellationToken cancellationToken)
    {
        var space = text.IndexOfAny([' ', '\n', '\t']);
        var command = space < 0 ? text : text[..space];
        var at = command.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            command = command[..at];
        }

        var argument = space < 0 ? null : text[(space + 1)..].Trim();
        dialogs.CancelAll(turn);
        if (command.Equals("/start", StringComparison.OrdinalIgnoreCase))
        {
            await StartAsync(turn, argument, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Commands.TryGetValue(command, out var action))
        {
            await RunActionAsync(turn, action, argument, cancellationToken).ConfigureAwait(false);
            return;
        }

        turn.Reply(texts.Get("command.unknown", ("command", command)), MainMenuButtons());
    }

    private async Task HandleButtonAsync(TurnContext turn, string payload, CancellationToken cancellationToken)
    {
        var (name, argument) = MenuRendering.ParsePayload(payload);
        if (_actions.ContainsKey(name))
        {
            dialogs.CancelAll(turn);
            await RunActionAsync(turn, name, argument, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (dialogs.HasActive(turn) && await dialogs.ContinueAsync(turn, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        turn.Reply(texts.Get("button.expired"), MainMenuButtons());
    }

    private Task RunActionAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken) =>
        _actions.TryGetValue(name, out var action)
            ? action.ExecuteAsync(turn, name, argument, cancellationToken)
            : throw new InvalidOperationException($"No action '{name}' is registered.");

    private IReadOnlyList<ReplyButton> MainMenuButtons() => [ReplyButton.Action(texts.Get("button.menu"), "menu")];

    private static Dictionary<string, IBotAction> BuildActionMap(IEnumerable<IBotAction> actions)
    {
        var map = new Dictionary<string, IBotAction>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            foreach (var name in action.Names)
            {
                if (!map.TryAdd(name, action))
                {
                    throw new InvalidOperationException($"Action '{name}' is registered twice ({map[name].GetType().Name}, {action.GetType().Name}).");
                }
            }
        }

        return map;
    }
}

/// <summary>Which contest a conversation is about (implemented by the Contests slice).</summary>
/// <summary>Answers a free-text question about a contest with the facts that match it (implemented by the contests slice).</summary>
public interface IContestQuestions
{
    /// <summary>Replies and returns true when <paramref name="text"/> is a question about a contest's facts or status.</summary>
    bool TryAnswer(TurnContext turn, string text, Understanding understanding);
}

public interface IContestContext
{
    /// <summary>Selects a contest by id or short name (start payloads). False when unknown.</summary>
    bool TrySelect(TurnContext turn, string idOrName);

    /// <summary>Switches the conversation's contest when the text names a place ("cuộc thi ở Hải Dương").</summary>
    bool TrySwitchByText(TurnContext turn, string text);

    /// <summary>True when the text names exactly one contest.</summary>
    bool NamesContest(string text);
}
