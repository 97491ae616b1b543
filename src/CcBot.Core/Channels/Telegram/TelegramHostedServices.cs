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
    ITextCatalog texts,
    IOptions<TelegramOptions> options,
    ILogger<TelegramStartup> logger) : IHostedService
{
    /// <summary>The commands shown in Telegram's menu; descriptions come from <c>dialogs/telegram.yaml</c>.</summary>
    public static readonly string[] MenuCommands = ["start", "help", "menu", "thi", "nhacnho", "huynhac"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        TgUser me;
        try
        {
            me = await api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (ex.ErrorCode is 401 or 404)
        {
            throw new InvalidOperationException($"Telegram rejected the bot token ({ex.ErrorCode} {ex.Description}): check Telegram:BotToken.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            throw new InvalidOperationException($"Telegram Bot API at {o.ApiBaseUrl} is unreachable ({ex.Message}); check Telegram:ApiBaseUrl and the network.", ex);
        }

        identity.Set(me.Id, string.IsNullOrWhiteSpace(o.BotUsername) ? me.Username : o.BotUsername.TrimStart('@'));
        logger.LogInformation("Telegram bot @{Username} ({Id}) in {Mode} mode", identity.Username, me.Id, o.Mode);

        var commands = MenuCommands.Select(c => new TgBotCommand { Command = c, Description = texts.Get("telegram.command." + c) });
        await api.SetMyCommandsAsync(commands, cancellationToken).ConfigureAwait(false);
        if (o.IsWebhook)
        {
            await api.SetWebhookAsync(o.WebhookUrl!, o.SecretToken, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await api.DeleteWebhookAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Long polling: getUpdates → store every update of the batch through the inbox → only then confirm them with the
/// next offset. A crash in between makes Telegram re-deliver; the inbox de-duplicates by update_id.
/// </summary>
public sealed class TelegramPoller(
    TelegramApiClient api,
    TelegramUpdateProcessor processor,
    IOptions<TelegramOptions> options,
    TimeProvider clock,
    ILogger<TelegramPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? offset = null;
        var backoff = TimeSpan.FromSeconds(1);
        var timeout = options.Value.PollTimeoutSeconds;
        var gate = new SemaphoreSlim(options.Value.MaxPendingTurns); // not disposed: turns still running release it after shutdown
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await api.GetUpdatesAsync(offset, timeout, stoppingToken).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    await processor.ProcessBatchAsync(batch, gate, stoppingToken).ConfigureAwait(false);
                    offset = batch.Max(u => u.Update.UpdateId) + 1;
                }

                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var wait = ex is TelegramApiException { RetryAfter: { } ra } ? ra : backoff;
                logger.LogWarning(ex, "Telegram getUpdates failed; retrying in {Seconds} s", wait.TotalSeconds);
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
