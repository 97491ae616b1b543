using System.Text.RegularExpressions;

namespace CcBot.Core.Channels.Telegram;

/// <summary>Bound from the <c>Telegram</c> configuration section. The channel is off while <see cref="BotToken"/> is empty.</summary>
public sealed partial class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>The token from @BotFather (<c>123456:ABC...</c>). Empty: the Telegram channel is off.</summary>
    public string? BotToken { get; set; }

    /// <summary>Bot API base address (a local Bot API server or a test fake may replace it).</summary>
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary><c>polling</c> (getUpdates) or <c>webhook</c> (Telegram POSTs to <see cref="WebhookUrl"/>).</summary>
    public string Mode { get; set; } = "polling";

    /// <summary>Public HTTPS address of <c>POST /telegram/webhook</c>; required in webhook mode (http only on loopback, for a local Bot API server).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Secret Telegram sends in <c>X-Telegram-Bot-Api-Secret-Token</c>; required in webhook mode (1-256 of A-Z a-z 0-9 _ -).</summary>
    public string? SecretToken { get; set; }

    /// <summary>Messages per second over all chats (Telegram: about 30).</summary>
    public double GlobalRatePerSecond { get; set; } = 30;

    /// <summary>Minimum spacing between two messages to the same chat (Telegram: about 1 s).</summary>
    public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Long-poll timeout of getUpdates, in seconds.</summary>
    public int PollTimeoutSeconds { get; set; } = 30;

    /// <summary>The bot's @username without '@'; filled from getMe at start-up when empty (used for group mentions and deep links).</summary>
    public string? BotUsername { get; set; }

    /// <summary>How many times one Bot API call is tried before the send is reported as transient failure.</summary>
    public int MaxSendAttempts { get; set; } = 4;

    /// <summary>
    /// Updates stored but not yet handled before the poller waits, or a webhook call waits to be answered (the rest stays
    /// queued at Telegram; <see cref="TelegramTurnWindow"/>). Under a
    /// backlog a participant waits behind this many turns: 200 (two getUpdates batches) kept the throughput of 1000 with
    /// a fifth of the latency (bench/RESULTS-telegram.md).
    /// </summary>
    public int MaxPendingTurns { get; set; } = 200;

    /// <summary>Polling: how many polls one update may fail to be read or stored before it is set aside as a dead letter.</summary>
    public int MaxUpdateAttempts { get; set; } = 3;

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    public bool IsWebhook => string.Equals(Mode, "webhook", StringComparison.OrdinalIgnoreCase);

    /// <summary>Configuration errors, each naming its setting; empty when valid or when the channel is off.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
        {
            return errors;
        }

        if (!string.Equals(Mode, "polling", StringComparison.OrdinalIgnoreCase) && !IsWebhook)
        {
            errors.Add($"Telegram:Mode must be 'polling' or 'webhook' (got '{Mode}').");
        }

        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("Telegram:ApiBaseUrl must be an absolute http(s) URL.");
        }

        if (IsWebhook)
        {
            // Telegram calls only HTTPS addresses; plain http is accepted on loopback alone (a local Bot API server or a test
            // fake on the same machine), never for an address that leaves it.
            if (string.IsNullOrWhiteSpace(WebhookUrl) || !Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var hook)
                || !(hook.Scheme == Uri.UriSchemeHttps || (hook.Scheme == Uri.UriSchemeHttp && hook.IsLoopback)))
            {
                errors.Add("Telegram:WebhookUrl must be set to the public HTTPS address of /telegram/webhook in webhook mode (plain http only on loopback).");
            }

            if (string.IsNullOrEmpty(SecretToken))
            {
                errors.Add("Telegram:SecretToken is required in webhook mode (1-256 characters of A-Z a-z 0-9 _ -).");
            }
        }

        if (!string.IsNullOrEmpty(SecretToken) && !SecretPattern().IsMatch(SecretToken))
        {
            errors.Add("Telegram:SecretToken must be 1-256 characters of A-Z a-z 0-9 _ -.");
        }

        if (GlobalRatePerSecond is <= 0 or > 100_000)
        {
            errors.Add("Telegram:GlobalRatePerSecond must be between 0 and 100000 (exclusive of 0).");
        }

        if (PerChatInterval < TimeSpan.Zero || PerChatInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add("Telegram:PerChatInterval must be between 00:00:00 and 00:01:00.");
        }

        if (PollTimeoutSeconds is < 0 or > 600)
        {
            errors.Add("Telegram:PollTimeoutSeconds must be between 0 and 600.");
        }

        if (MaxSendAttempts is < 1 or > 10)
        {
            errors.Add("Telegram:MaxSendAttempts must be between 1 and 10.");
        }

        if (MaxUpdateAttempts is < 1 or > 100)
        {
            errors.Add("Telegram:MaxUpdateAttempts must be between 1 and 100.");
        }

        if (MaxPendingTurns is < 1 or > 1_000_000)
        {
            errors.Add("Telegram:MaxPendingTurns must be between 1 and 1000000.");
        }

        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretPattern();
}
