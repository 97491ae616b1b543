using System.Diagnostics;

namespace CcBot.Core.Telemetry;

/// <summary>
/// The bot's spans (<see cref="ActivitySource"/> <c>CcBot</c>): <c>ccbot.turn</c> (channel, hashed conversation, intent,
/// outcome) with children <c>ccbot.turn.handle</c>, <c>ccbot.turn.commit</c> and <c>ccbot.reply.send</c>. A turn's parent
/// is the request that brought its activity (a webhook, a Direct Line POST), which is tagged with the channel and whether
/// the activity was a duplicate; so one message is followed from arrival to reply. A turn that is not sampled gets no
/// children.
/// </summary>
public static class CcBotTracing
{
    public const string SourceName = "CcBot";

    /// <summary>Immutable and thread-safe; spans cost nothing while nobody listens.</summary>
    public static readonly ActivitySource Source = new(SourceName);
}
