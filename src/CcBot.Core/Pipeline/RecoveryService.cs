using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CcBot.Core.Pipeline;

/// <summary>
/// At start-up: handles inbound activities stored but never handled (the host stopped mid-turn) and
/// re-sends replies stored but never confirmed sent. Nothing accepted is lost across a crash.
/// On a graceful stop it lets running turns finish first (the host's shutdown timeout bounds the wait).
/// </summary>
public sealed class RecoveryService(IConversationStore store, TurnPipeline pipeline, ChannelSenders senders, TimeProvider clock, ILogger<RecoveryService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var pending = await store.GetUnhandledInboundAsync(10_000, cancellationToken).ConfigureAwait(false);
        foreach (var p in pending)
        {
            _ = pipeline.Schedule(p.Activity, p.Seq);
        }

        var unsent = await store.GetUnsentOutboundAsync(10_000, cancellationToken).ConfigureAwait(false);
        if (pending.Count + unsent.Count > 0)
        {
            logger.LogInformation("Recovery: {In} inbound activities to handle, {Out} replies to send", pending.Count, unsent.Count);
        }

        foreach (var o in unsent)
        {
            var outcome = await senders.SendAsync(o.To, o.Message, cancellationToken).ConfigureAwait(false);
            await store.MarkOutboundAsync(o.Message.Seq, outcome, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.DrainAsync(cancellationToken);
}
