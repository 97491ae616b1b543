using System.Diagnostics;

namespace CcBot.Core.Telemetry;

/// <summary>
/// The bot's spans (<see cref="ActivitySource"/> <c>CcBot</c>): <c>ccbot.inbox.accept</c> when an activity is stored, then
/// <c>ccbot.turn</c> (channel, hashed conversation, intent, outcome) with children <c>ccbot.turn.handle</c>,
/// <c>ccbot.turn.commit</c> and <c>ccbot.reply.send</c>. A turn's parent is the request that brought its activity (a
/// webhook, a Direct Line POST, a poll), so one message is followed from arrival to reply.
/// </summary>
public static class CcBotTracing
{
    public const string SourceName = "CcBot";

    /// <summary>Immutable and thread-safe; spans cost nothing while nobody listens.</summary>
    public static readonly ActivitySource Source = new(SourceName);
}
