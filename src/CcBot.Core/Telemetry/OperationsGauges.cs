using CcBot.Core.Storage;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CcBot.Core.Telemetry;

/// <summary>One reading of the figures the gauges report; taken by <see cref="OperationsGaugeSampler"/>.</summary>
public sealed record OperationsSnapshot(
    IReadOnlyDictionary<string, long> OutboxDueBySource,
    double OutboxOldestWaitSeconds,
    long UnsentReplies,
    double OldestUnsentReplySeconds,
    long OpenEscalations,
    IReadOnlyDictionary<string, long> QuizAttemptsByStatus,
    IReadOnlyDictionary<string, long> BroadcastMessagesByStatus);

/// <summary>
/// Reads the operational figures from the database every <c>Metrics:GaugeIntervalSeconds</c> (the same SQL on SQLite and
/// PostgreSQL) for <see cref="CcBotMetrics"/>' observable gauges, so a scrape never waits on the database.
/// Runs only when metrics are exported.
/// </summary>
public sealed class OperationsGaugeSampler(ISqlConnections connections, CcBotMetrics metrics, TimeProvider clock, TimeSpan interval, ILogger<OperationsGaugeSampler> logger) : BackgroundService
{
    public async Task<OperationsSnapshot> SampleAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var due = (await conn.QueryAsync<(string Source, long Count, object? Oldest)>(new CommandDefinition(
            "SELECT source, COUNT(*), MIN(not_before) FROM outbox WHERE status IN ('pending', 'sending') AND not_before <= @now GROUP BY source",
            new { now = connections.Time(now) }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var unsent = await conn.QuerySingleAsync<(long Count, object? Oldest)>(new CommandDefinition(
            "SELECT COUNT(*), MIN(created_at) FROM transcript WHERE NOT inbound AND status IN ('pending', 'retry')", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var open = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM escalations WHERE status = 'open'", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var attempts = await conn.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM quiz_attempts GROUP BY status", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var broadcast = await conn.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM outbox WHERE source = 'broadcast' GROUP BY status", cancellationToken: cancellationToken)).ConfigureAwait(false);
        double Age(object? t) => t is null ? 0 : Math.Max(0, (now - SqlConnections.ReadTime(t)).TotalSeconds);
        return new OperationsSnapshot(
            due.ToDictionary(d => d.Source, d => d.Count, StringComparer.Ordinal),
            due.Count == 0 ? 0 : due.Max(d => Age(d.Oldest)),
            unsent.Count,
            Age(unsent.Oldest),
            open,
            attempts.ToDictionary(a => a.Status, a => a.Count, StringComparer.Ordinal),
            broadcast.ToDictionary(b => b.Status, b => b.Count, StringComparer.Ordinal));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.Publish(await SampleAsync(stoppingToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Reading the operational gauges failed ({Error}); trying again in {Interval}", e.GetType().Name, interval);
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
