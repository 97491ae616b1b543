namespace CcBot.Core.Channels.Telegram;

/// <summary>
/// When Telegram last answered the bot (a poll, or setWebhook at start) and whether it refuses the token: what the
/// readiness check reports. Written by the poller and the start-up, read by <c>/readyz</c>.
/// </summary>
public sealed class TelegramHealth(TimeProvider clock)
{
    private long _lastContactTicks;
    private volatile string? _refused;

    public DateTimeOffset? LastContact => Interlocked.Read(ref _lastContactTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>Why Telegram refuses the bot (its token), or null.</summary>
    public string? Refused => _refused;

    public void Contacted()
    {
        Interlocked.Exchange(ref _lastContactTicks, clock.GetUtcNow().UtcTicks);
        _refused = null;
    }

    public void Refuse(string reason) => _refused = reason;

    /// <summary>Healthy when the token is accepted and (polling) a poll answered within <paramref name="quiet"/>.</summary>
    public (bool Healthy, string Description) Check(bool webhook, TimeSpan quiet)
    {
        if (_refused is { } reason)
        {
            return (false, reason);
        }

        if (LastContact is not { } last)
        {
            return (false, "Telegram has not answered yet");
        }

        var silent = clock.GetUtcNow() - last;
        return webhook || silent <= quiet
            ? (true, webhook ? "webhook set" : $"polled {silent.TotalSeconds:0} s ago")
            : (false, $"no answer from getUpdates for {silent.TotalSeconds:0} s");
    }
}
