using CcBot.Core.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.Telegram;

/// <summary>
/// Start-up: getMe (a rejected token stops the host naming Telegram:BotToken), setMyCommands in Vietnamese,
/// then setWebhook (webhook mode) or deleteWebhook (polling mode: the poller starts after this).
/// </summary>
public sealed class TelegramStartup(
    TelegramApiClient api,
    TelegramBotIdentity identity,
    TelegramHealth health,
    ITextCatalog texts,
    IOptions<TelegramOptions> options,
    ILogger<TelegramStartup> logger) : IHostedService
{
    /// <summary>The commands shown in Telegram's menu; descriptions come from <c>dialogs/telegram.yaml</c>.</summary>
    public static readonly string[] MenuCommands = ["start", "help", "menu", "thi", "nhacnho", "huynhac", "dulieu"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        global::Telegram.Bot.Types.User me;
        try
        {
            me = await api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (global::Telegram.Bot.Exceptions.ApiRequestException ex) when (ex.ErrorCode is 401 or 404)
        {
            throw new InvalidOperationException($"Telegram rejected the bot token ({ex.ErrorCode} {ex.Message}): check Telegram:BotToken.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or global::Telegram.Bot.Exceptions.RequestException)
        {
            throw new InvalidOperationException($"Telegram Bot API at {o.ApiBaseUrl} is unreachable ({ex.Message}); check Telegram:ApiBaseUrl and the network.", ex);
        }

        identity.Set(me.Id, string.IsNullOrWhiteSpace(o.BotUsername) ? me.Username : o.BotUsername.TrimStart('@'));
        logger.LogInformation("Telegram bot @{Username} ({Id}) in {Mode} mode", identity.Username, me.Id, o.Mode);

        // The menu and the webhook are independent requests: sent together, start-up waits for one round trip, not two.
        var commands = MenuCommands.Select(c => new global::Telegram.Bot.Types.BotCommand { Command = c, Description = texts.Get("telegram.command." + c) });
        var menu = api.SetMyCommandsAsync(commands, cancellationToken);
        var webhook = o.IsWebhook
            ? api.SetWebhookAsync(o.WebhookUrl!, o.SecretToken, cancellationToken)
            : api.DeleteWebhookAsync(cancellationToken);
        await Task.WhenAll(menu, webhook).ConfigureAwait(false);

        health.Contacted();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Long polling: getUpdates → store every update of the batch through the inbox → only then confirm them with the
/// next offset. A crash in between makes Telegram re-deliver; the inbox de-duplicates by update_id.
/// An update that cannot be read or stored is polled again (with backoff) up to <c>Telegram:MaxUpdateAttempts</c> times,
/// then stored as a dead letter and confirmed, so one bad update never holds back the participants behind it.
/// </summary>
public sealed class TelegramPoller(
    TelegramApiClient api,
    TelegramHealth health,
    TelegramUpdateProcessor processor,
    TelegramDeadLetterStore deadLetters,
    IOptions<TelegramOptions> options,
    TimeProvider clock,
    ILogger<TelegramPoller> logger) : BackgroundService
{
    private readonly Dictionary<long, int> _attempts = [];

    /// <summary>The offset that confirms what is stored or set aside: past the batch, or the first update still to retry.</summary>
    private async Task<long> ConfirmAsync(IReadOnlyList<TelegramIncoming> batch, IReadOnlyList<(TelegramIncoming Incoming, string Error)> failures, CancellationToken ct)
    {
        var retry = new List<long>();
        foreach (var (incoming, error) in failures)
        {
            var attempts = _attempts[incoming.UpdateId] = _attempts.GetValueOrDefault(incoming.UpdateId) + 1;
            if (attempts < options.Value.MaxUpdateAttempts)
            {
                retry.Add(incoming.UpdateId);
                continue;
            }

            // Stored before it is confirmed: if this fails too, the update stays at Telegram and comes again.
            await deadLetters.AddAsync(incoming.UpdateId, incoming.Raw, error, attempts, clock.GetUtcNow(), ct).ConfigureAwait(false);
            _attempts.Remove(incoming.UpdateId);
            logger.LogError("Telegram update {Id} set aside as a dead letter after {Attempts} attempts: {Error}", incoming.UpdateId, attempts, error);
        }

        var next = batch.Max(u => u.UpdateId) + 1;
        if (retry.Count == 0)
        {
            _attempts.Clear();
            return next;
        }

        return retry.Min();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? offset = null;
        var backoff = TimeSpan.FromSeconds(1);
        var timeout = options.Value.PollTimeoutSeconds;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await api.GetUpdatesAsync(offset, timeout, stoppingToken).ConfigureAwait(false);
                health.Contacted();
                if (batch.Count > 0)
                {
                    var failures = await processor.ProcessBatchAsync(batch, stoppingToken).ConfigureAwait(false);
                    offset = await ConfirmAsync(batch, failures, stoppingToken).ConfigureAwait(false);
                    if (failures.Count > 0 && _attempts.Count > 0)
                    {
                        throw new TelegramUpdatesFailedException(failures.Count);
                    }
                }

                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var wait = ex is global::Telegram.Bot.Exceptions.RequestException re && re.RetryAfter() is { } ra ? ra : backoff;
                if (ex is global::Telegram.Bot.Exceptions.ApiRequestException { ErrorCode: 401 or 404 } refused)
                {
                    health.Refuse($"Telegram refuses the bot token ({refused.ErrorCode})");
                }

                if (ex is TelegramUpdatesFailedException)
                {
                    logger.LogWarning("{Message}; polling again in {Seconds} s", ex.Message, wait.TotalSeconds);
                }
                else
                {
                    logger.LogWarning(ex, "Telegram getUpdates failed; retrying in {Seconds} s", wait.TotalSeconds);
                }
                try
                {
                    await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromSeconds(Math.Min(60, backoff.TotalSeconds * 2));
            }
        }
    }
}

/// <summary>Some updates of a poll could not be stored: the poller backs off before it polls them again.</summary>
internal sealed class TelegramUpdatesFailedException(int count) : Exception($"{count} Telegram update(s) could not be stored");
