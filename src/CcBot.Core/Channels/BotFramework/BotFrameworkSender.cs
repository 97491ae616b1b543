using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>
/// Delivers stored replies over the Bot Connector for one channel id (<c>msteams</c>, <c>emulator</c>).
/// 429 waits out Retry-After, 412/5xx back off (bounded), 401 refreshes the token once, 403/404 mean the bot
/// can no longer write to the conversation (uninstalled, blocked, removed): Unreachable.
/// </summary>
public sealed class BotFrameworkSender(
    string channel,
    IServiceProvider services,
    BotFrameworkTokenProvider tokens,
    TrustedServiceUrls trusted,
    ConnectorRateLimiter limiter,
    IOptions<BotFrameworkOptions> options,
    TimeProvider clock,
    ILogger<BotFrameworkSender> logger) : IChannelSender
{
    public string Channel => channel;

    public async Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(to.ServiceUrl) || TrustedServiceUrls.Origin(to.ServiceUrl) is null)
        {
            return new SendOutcome(SendStatus.Failed, Error: "The conversation reference has no valid serviceUrl.");
        }

        if (tokens.HasCredentials && !await trusted.IsTrustedAsync(to.ServiceUrl, cancellationToken).ConfigureAwait(false))
        {
            logger.LogWarning("Refusing to send the app token to untrusted service URL {ServiceUrl} ({Conversation})", to.ServiceUrl, to.ConversationKey);
            return new SendOutcome(SendStatus.Failed, Error: "Untrusted serviceUrl: no authenticated activity came from " + TrustedServiceUrls.Origin(to.ServiceUrl));
        }

        var o = options.Value;
        // Typed client resolved per send: the factory rotates its handlers (DNS changes of the Connector hosts).
        var connector = services.GetRequiredService<ConnectorClient>();
        var activity = BotFrameworkWire.ToWire(to, message.Message);
        var tokenRefreshed = false;
        for (var attempt = 0; ; attempt++)
        {
            var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            await limiter.WaitTurnAsync(to.ConversationKey, cancellationToken).ConfigureAwait(false);
            var response = message.Message.ReplacesChannelMessageId is { } replaces
                ? await connector.UpdateActivityAsync(to.ServiceUrl, to.ConversationId, replaces, activity, token, cancellationToken).ConfigureAwait(false)
                : await connector.SendToConversationAsync(to.ServiceUrl, to.ConversationId, activity, token, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return SendOutcome.Ok(response.ActivityId ?? message.Message.ReplacesChannelMessageId);
            }

            var error = $"{response.StatusCode} {response.ErrorCode} {response.ErrorMessage}".Trim();
            switch (response.StatusCode)
            {
                case 401 when !tokenRefreshed && token is not null:
                    tokens.Invalidate(token);
                    tokenRefreshed = true;
                    continue;
                case 403 or 404:
                    logger.LogWarning("Connector refused reply {Seq} to {Conversation}: {Error}", message.Seq, to.ConversationKey, error);
                    return new SendOutcome(SendStatus.Unreachable, Error: error);
                case 429 or 412 or 500 or 502 or 503 or 504:
                    var wait = response.RetryAfter ?? Backoff(o.RetryBaseDelay, attempt);
                    if (attempt >= o.MaxSendRetries || wait > o.MaxRetryAfter)
                    {
                        logger.LogWarning("Reply {Seq} to {Conversation} left for later after {Attempts} attempts: {Error}", message.Seq, to.ConversationKey, attempt + 1, error);
                        return new SendOutcome(SendStatus.Retry, Error: error, RetryAfter: wait);
                    }

                    logger.LogInformation("Connector answered {Status}; retrying reply {Seq} in {Wait}", response.StatusCode, message.Seq, wait);
                    await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                default:
                    logger.LogWarning("Connector rejected reply {Seq} to {Conversation}: {Error}", message.Seq, to.ConversationKey, error);
                    return new SendOutcome(response.StatusCode is >= 500 or 401 ? SendStatus.Retry : SendStatus.Failed, Error: error);
            }
        }
    }

    /// <summary>Waits at least <paramref name="wait"/>: timers may fire a little early, and Retry-After means never sooner.</summary>
    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + wait;
        await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        for (var extra = 0; extra < 3 && clock.GetUtcNow() is var now && now < until; extra++)
        {
            await Task.Delay(until - now + TimeSpan.FromMilliseconds(1), clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Backoff(TimeSpan baseDelay, int attempt)
    {
        var exponential = baseDelay * Math.Pow(2, Math.Min(attempt, 6));
        return exponential + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, baseDelay.TotalMilliseconds)));
    }
}
