using CcBot.Core.Contests;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CcBot.Core.Reminders;

/// <summary>A Quartz job for one reminder of one contest. Its data are ids only (contest id and reminder key); everything else is looked up when it fires.</summary>
public sealed class ReminderJob(ReminderDispatcher dispatcher) : IJob
{
    public const string ContestIdKey = "contestId";
    public const string ReminderKey = "reminder";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var contestId = data.GetString(ContestIdKey) ?? "";
        var key = data.GetString(ReminderKey) ?? "";
        await dispatcher.DispatchAsync(contestId, key, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Keeps Quartz's persistent triggers in line with the contests: at start-up (and on <see cref="SyncAsync"/>), every contest whose
/// reminder fingerprint (milestones, offsets) changed gets its jobs deleted and its future reminders scheduled again; contests
/// whose fingerprint is unchanged keep their stored triggers, so a restart schedules nothing twice.
/// </summary>
public sealed class ReminderScheduleSync(
    ISchedulerFactory schedulers,
    ContestCatalog catalog,
    IReminderStore store,
    IOptions<ReminderOptions> options,
    TimeProvider clock,
    ILogger<ReminderScheduleSync> logger) : IHostedService
{
    public const string GroupPrefix = "reminders.";

    public Task StartAsync(CancellationToken cancellationToken) => options.Value.Enabled ? SyncAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Returns the ids of the contests whose reminders were (re)scheduled.</summary>
    public async Task<IReadOnlyList<string>> SyncAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        var stored = await store.FingerprintsAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var changed = new List<string>();
        foreach (var contest in catalog.Contests)
        {
            var fingerprint = ReminderPlanner.Fingerprint(contest, options.Value);
            if (stored.TryGetValue(contest.Id, out var old) && old == fingerprint)
            {
                continue;
            }

            var group = GroupPrefix + contest.Id;
            await scheduler.DeleteJobs(GroupMatcher<JobKey>.GroupEquals(group), cancellationToken).ConfigureAwait(false);
            var count = 0;
            foreach (var r in ReminderPlanner.Plan(contest, options.Value))
            {
                // Reminders whose moment is already past when they are (re)planned are not sent: only future ones are scheduled.
                if (r.FireAt <= now)
                {
                    continue;
                }

                var job = JobBuilder.Create<ReminderJob>()
                    .WithIdentity(r.Key, group)
                    .UsingJobData(ReminderJob.ContestIdKey, contest.Id)
                    .UsingJobData(ReminderJob.ReminderKey, r.Key)
                    // An instance that dies while dispatching: another instance of the cluster runs it again (the outbox dedupes).
                    .RequestRecovery()
                    .Build();
                var trigger = TriggerBuilder.Create()
                    .WithIdentity(r.Key, group)
                    .StartAt(r.FireAt)
                    .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                    .Build();
                await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken).ConfigureAwait(false);
                count++;
            }

            await store.SetFingerprintAsync(contest.Id, fingerprint, now, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Reminders of {Contest}: {Count} scheduled ({Reason})", contest.Id, count, old is null ? "new" : "dates changed");
            changed.Add(contest.Id);
        }

        var known = catalog.Contests.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in stored.Keys.Where(id => !known.Contains(id)))
        {
            await scheduler.DeleteJobs(GroupMatcher<JobKey>.GroupEquals(GroupPrefix + gone), cancellationToken).ConfigureAwait(false);
            await store.SetFingerprintAsync(gone, null, now, cancellationToken).ConfigureAwait(false);
            changed.Add(gone);
        }

        return changed;
    }
}
