namespace CcBot.Host.StaffConsole;

public sealed record DailyVolume(string Day, int Inbound, int Outbound, int Conversations);

public sealed record UnansweredQuestion(string Text, int Count, DateTimeOffset Last);

public sealed record TranscriptHit(long Seq, string ConversationKey, string Channel, string? UserId, bool Inbound, string? Text, DateTimeOffset At);

/// <summary>Read-only queries for organizer reports and transcript search.</summary>
public interface IConsoleReports
{
    /// <summary>How many conversations a broadcast would reach now (same rules as the broadcast store uses when it creates one).</summary>
    Task<int> CountAudienceAsync(Core.Broadcasts.BroadcastAudience audience, string? value, CancellationToken cancellationToken);

    /// <summary>Messages per UTC day (<c>yyyy-MM-dd</c>, newest first) over the last <paramref name="days"/> days (transcript rows).</summary>
    Task<IReadOnlyList<DailyVolume>> VolumePerDayAsync(DateTimeOffset now, int days, CancellationToken cancellationToken);

    /// <summary>The questions the bot could not answer most often (low-confidence escalations, same text grouped case-insensitively).</summary>
    Task<IReadOnlyList<UnansweredQuestion>> TopUnansweredAsync(int max, CancellationToken cancellationToken);

    /// <summary>Transcript rows (newest first) filtered by user id (exact), text (contains, case-insensitive) and UTC date range.</summary>
    Task<IReadOnlyList<TranscriptHit>> SearchTranscriptAsync(string? user, string? text, DateOnly? from, DateOnly? to, int max, CancellationToken cancellationToken);
}
