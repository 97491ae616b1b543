using System.Threading.RateLimiting;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.Zalo;

/// <summary>
/// Delivers stored replies as Zalo customer-service messages. Zalo answers errors with HTTP 200 and a code:
/// -216/-220 (token) renew once and retry; -213 (not following) and -230/-232 (no interaction within 7 days: only paid
/// ZNS templates would reach the user) make the user unreachable until they write again; -32 (rate limit) backs off;
/// -211/-218 (quota) leave the message for a later retry.
/// </summary>
public sealed class ZaloSender(
    IServiceProvider services,
    ZaloTokens tokens,
    [FromKeyedServices(ZaloEvents.Channel)] Outbox.SharedChannelRate sharedRate,
    [FromKeyedServices(ZaloEvents.Channel)] RateLimiter limiter,
    IOptions<ZaloOptions> options,
    TimeProvider clock,
    Telemetry.CcBotMetrics metrics,
    ILogger<ZaloSender> logger) : IChannelSender
{
    public string Channel => ZaloEvents.Channel;

    public async Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken)
    {
        var api = services.GetRequiredService<ZaloApiClient>();
        string? lastId = null;
        foreach (var body in ZaloRendering.Render(to.UserId, message.Message))
        {
            var outcome = await SendOneAsync(api, to, message.Seq, body, cancellationToken).ConfigureAwait(false);
            if (outcome.Status != SendStatus.Sent)
            {
                return outcome;
            }

            lastId = outcome.ChannelMessageId;
        }

        return SendOutcome.Ok(lastId);
    }

    private async Task<SendOutcome> SendOneAsync(ZaloApiClient api, ConversationReference to, long seq, System.Text.Json.Nodes.JsonObject body, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            if (token is null)
            {
                return new SendOutcome(SendStatus.Retry, Error: "Zalo channel stopped: " + tokens.StoppedReason, RetryAfter: TimeSpan.FromMinutes(5));
            }

            var waitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            await sharedRate.WaitAsync(cancellationToken).ConfigureAwait(false);
            using (var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false))
            {
                if (!lease.IsAcquired)
                {
                    return new SendOutcome(SendStatus.Retry, Error: "Zalo send queue full", RetryAfter: TimeSpan.FromSeconds(1));
                }
            }

            metrics.RateLimitWaited(Channel, System.Diagnostics.Stopwatch.GetElapsedTime(waitStarted));

            var result = await api.SendMessageAsync(token, body, cancellationToken).ConfigureAwait(false);
            if (result.Success)
            {
                return SendOutcome.Ok(result.MessageId);
            }

            switch (result.Error)
            {
                case ZaloApiClient.TokenInvalid or ZaloApiClient.TokenExpired when !renewed:
                    renewed = true;
                    await tokens.InvalidateAsync(token, cancellationToken).ConfigureAwait(false);
                    continue;
                case ZaloApiClient.NotFollowing or ZaloApiClient.NoRecentInteraction or ZaloApiClient.NoRecentInteractionPaid:
                    logger.LogInformation("Zalo refused reply {Seq} to {Conversation}: {Error}", seq, to.ConversationKey, result);
                    return new SendOutcome(SendStatus.Unreachable, Error: result.ToString());
                case ZaloApiClient.RateLimited when attempt < o.MaxSendAttempts:
                    await Task.Delay(TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1)), clock, cancellationToken).ConfigureAwait(false);
                    continue;
                case ZaloApiClient.RateLimited:
                    return new SendOutcome(SendStatus.Retry, Error: result.ToString(), RetryAfter: TimeSpan.FromSeconds(30));
                case ZaloApiClient.OutOfQuota or ZaloApiClient.RecipientOutOfQuota:
                    logger.LogWarning("Zalo quota exhausted sending reply {Seq}: {Error}; left for a later retry", seq, result);
                    return new SendOutcome(SendStatus.Retry, Error: result.ToString(), RetryAfter: o.QuotaRetryAfter);
                default:
                    logger.LogWarning("Zalo rejected reply {Seq} to {Conversation}: {Error}", seq, to.ConversationKey, result);
                    return new SendOutcome(result.HttpStatus >= 500 || result.Error is ZaloApiClient.TokenInvalid or ZaloApiClient.TokenExpired ? SendStatus.Retry : SendStatus.Failed,
                        Error: result.ToString());
            }
        }
    }
}
