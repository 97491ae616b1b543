using CcBot.Core.Storage;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.DirectLine;

/// <summary>
/// Removes Direct Line conversations opened but never written in (no message, button or upload; a greeting and join events
/// do not count) once they are <c>DirectLine:AbandonedAfterHours</c> old: the conversation row, its greeting in the
/// transcript, its state and the web user made for it. A flood of opened conversations does not stay in the database.
/// One statement set for SQLite and PostgreSQL (Dapper), in one transaction.
/// </summary>
public sealed class DirectLineExpiry(ISqlConnections connections)
{
    /// <summary>Directline conversations created before @cutoff whose transcript holds nothing the user wrote.</summary>
    private const string Abandoned = """
        SELECT d.conversation_id FROM directline_conversations d
        WHERE d.created_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM transcript t
                          WHERE t.conversation_key = 'directline:' || d.conversation_id AND t.inbound
                            AND t.kind NOT IN ('ConversationStarted', 'Event'))
        """;

    /// <summary>Removes what was abandoned before <paramref name="cutoff"/>; returns how many conversations.</summary>
    public async Task<int> RemoveAbandonedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var p = new { cutoff = connections.Time(cutoff) };
        await conn.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM conversations WHERE conversation_key IN (SELECT 'directline:' || conversation_id FROM ({Abandoned}) a)", p, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM users WHERE channel = 'directline'
              AND channel_user_id IN (SELECT d.user_id FROM directline_conversations d WHERE d.conversation_id IN ({Abandoned}))
              AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.channel = 'directline' AND c.user_id = users.channel_user_id)
            """, p, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM transcript WHERE conversation_key IN (SELECT 'directline:' || conversation_id FROM ({Abandoned}) a)", p, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var removed = await conn.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM directline_conversations WHERE conversation_id IN ({Abandoned})", p, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }
}

/// <summary>Runs <see cref="DirectLineExpiry"/> every hour (the first time a minute after start).</summary>
public sealed class DirectLineExpiryService(DirectLineExpiry expiry, IOptions<DirectLineOptions> options, TimeProvider clock, ILogger<DirectLineExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hours = options.Value.AbandonedAfterHours;
        if (hours <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
            do
            {
                try
                {
                    var removed = await expiry.RemoveAbandonedAsync(clock.GetUtcNow().AddHours(-hours), stoppingToken).ConfigureAwait(false);
                    if (removed > 0)
                    {
                        logger.LogInformation("Removed {Count} Direct Line conversations opened more than {Hours} h ago and never written in", removed, hours);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Removing abandoned Direct Line conversations failed; tried again in an hour");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
