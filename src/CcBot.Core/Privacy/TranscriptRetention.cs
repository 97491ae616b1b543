using CcBot.Core.Storage;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CcBot.Core.Privacy;

/// <summary>
/// Deletes transcript rows older than <c>Privacy:TranscriptRetentionDays</c> (a message waiting to be handled or sent is kept
/// until it is), and Telegram dead letters of the same age (they hold raw messages). One statement set for both databases.
/// </summary>
public sealed class TranscriptRetention(ISqlConnections connections)
{
    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var removed = await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM transcript WHERE created_at < @cutoff AND status NOT IN ('pending', 'retry')",
            new { cutoff = connections.Time(cutoff) }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM telegram_dead_letters WHERE created_at_ms < @cutoff",
            new { cutoff = cutoff.ToUnixTimeMilliseconds() }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }
}

/// <summary>The daily Quartz job that applies <see cref="TranscriptRetention"/>.</summary>
[DisallowConcurrentExecution]
public sealed class TranscriptRetentionJob(TranscriptRetention retention, IOptions<PrivacyOptions> options, TimeProvider clock, ILogger<TranscriptRetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("transcript-retention", "privacy");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var days = options.Value.TranscriptRetentionDays;
        if (days <= 0)
        {
            return;
        }

        var removed = await retention.PurgeAsync(clock.GetUtcNow().AddDays(-days), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Retention: {Count} transcript rows older than {Days} days deleted", removed, days);
    }
}

/// <summary>Schedules <see cref="TranscriptRetentionJob"/> on Quartz at start (replacing the stored trigger, so a changed cron applies).</summary>
public sealed class RetentionSchedule(ISchedulerFactory schedulers, IOptions<PrivacyOptions> options) : Microsoft.Extensions.Hosting.IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        if (options.Value.TranscriptRetentionDays <= 0)
        {
            await scheduler.DeleteJob(TranscriptRetentionJob.Key, cancellationToken).ConfigureAwait(false);
            return;
        }

        var job = JobBuilder.Create<TranscriptRetentionJob>().WithIdentity(TranscriptRetentionJob.Key).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TranscriptRetentionJob.Key.Name, TranscriptRetentionJob.Key.Group)
            .WithCronSchedule(options.Value.RetentionCron, c => c.InTimeZone(Time.VietnamTime.Zone))
            .Build();
        await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
