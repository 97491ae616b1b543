using System.Collections.Concurrent;
using CcBot.Core.Reminders;
using CcBot.Core.Tests.Contests;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CcBot.Core.Tests.Reminders;

/// <summary>
/// Quartz on PostgreSQL as the bot registers it: two schedulers (two "instances", each its own service provider) clustered on
/// one database, with a one-second check-in so that a dead instance is noticed within seconds.
/// </summary>
public sealed class QuartzClusterTests
{
    [Fact]
    public async Task Clustered_schedulers_fire_each_job_once_and_a_survivor_recovers_a_dead_instance_s_firing()
    {
        await using var backend = await StorageBackend.CreateAsync("postgres");
        var log = new FireLog();
        await using var a = Node(backend, log);
        await using var b = Node(backend, log);
        var nodes = new[] { await a.GetRequiredService<ISchedulerFactory>().GetScheduler(), await b.GetRequiredService<ISchedulerFactory>().GetScheduler() };
        nodes[0].Should().NotBeSameAs(nodes[1]);
        nodes[0].SchedulerInstanceId.Should().NotBe(nodes[1].SchedulerInstanceId);
        (await nodes[0].GetMetadata()).JobStoreClustered.Should().BeTrue();
        foreach (var n in nodes)
        {
            await n.Start();
        }

        // Each of six jobs fires exactly once across the two instances.
        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        for (var i = 0; i < 6; i++)
        {
            await nodes[i % 2].ScheduleJob(
                JobBuilder.Create<RecordingJob>().WithIdentity("once-" + i, "test").Build(),
                TriggerBuilder.Create().WithIdentity("once-" + i, "test").StartAt(at).Build());
        }

        (await log.WaitAsync(f => f.Count(x => x.Job.StartsWith("once-", StringComparison.Ordinal)) >= 6, TimeSpan.FromSeconds(20))).Should().BeTrue();
        // Every one-shot trigger is complete (a fired trigger leaves the shared store when its job has finished): no fire can follow.
        var settled = DateTime.UtcNow.AddSeconds(20);
        while ((await nodes[0].GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals("test"))).Any(k => k.Name.StartsWith("once-", StringComparison.Ordinal)))
        {
            DateTime.UtcNow.Should().BeBefore(settled, "the fired triggers complete");
            await Task.Delay(50);
        }

        log.Fires.Where(x => x.Job.StartsWith("once-", StringComparison.Ordinal)).Select(x => x.Job).Should().HaveCount(6).And.OnlyHaveUniqueItems();

        // An instance dies while running a job that requests recovery: the survivor runs it again once the check-in is overdue.
        await nodes[0].ScheduleJob(
            JobBuilder.Create<RecordingJob>().WithIdentity("long", "test").UsingJobData(RecordingJob.Block, true).RequestRecovery().Build(),
            TriggerBuilder.Create().WithIdentity("long", "test").StartAt(DateTimeOffset.UtcNow.AddSeconds(1)).Build());
        (await log.WaitAsync(f => f.Any(x => x.Job == "long"), TimeSpan.FromSeconds(20))).Should().BeTrue();
        var first = log.Fires.Single(x => x.Job == "long");
        var dead = nodes.Single(n => n.SchedulerInstanceId == first.Instance);
        var survivor = nodes.Single(n => n != dead);
        await dead.Shutdown(waitForJobsToComplete: false); // the running job ignores cancellation: its firing is abandoned

        (await log.WaitAsync(f => f.Count(x => x.Job == "long") >= 2, TimeSpan.FromSeconds(30))).Should().BeTrue("the survivor recovers the dead instance's firing");
        var recovered = log.Fires.Where(x => x.Job == "long").Skip(1).First();
        recovered.Instance.Should().Be(survivor.SchedulerInstanceId);
        recovered.Recovering.Should().BeTrue();

        log.Release.TrySetResult();
        await survivor.Shutdown(waitForJobsToComplete: true);
    }

    [Fact]
    public async Task On_sqlite_the_single_instance_scheduler_is_not_clustered()
    {
        await using var backend = await StorageBackend.CreateAsync("sqlite");
        var log = new FireLog();
        await using var node = Node(backend, log);
        var scheduler = await node.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var metadata = await scheduler.GetMetadata();
        metadata.JobStorePersistent.Should().BeTrue();
        metadata.JobStoreClustered.Should().BeFalse();
        await scheduler.Start();
        await scheduler.ScheduleJob(JobBuilder.Create<RecordingJob>().WithIdentity("one", "test").Build(),
            TriggerBuilder.Create().WithIdentity("one", "test").StartNow().Build());
        (await log.WaitAsync(f => f.Count > 0, TimeSpan.FromSeconds(10))).Should().BeTrue();
        await scheduler.Shutdown(waitForJobsToComplete: true);
    }

    private static ServiceProvider Node(StorageBackend backend, FireLog log)
    {
        var settings = new Dictionary<string, string?>(backend.Configuration)
        {
            ["Reminders:ClusterCheckinInterval"] = "00:00:01",
            ["Reminders:ClusterCheckinMisfireThreshold"] = "00:00:01",
        };
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
        services.AddCcBotCore(config, Repo.Root);
        services.AddCcBotReminders(config);
        // Look for triggers another instance scheduled every second (the default is 30 s).
        services.ConfigureAll<QuartzSchedulerOptions>(o => o.IdleWaitTime = TimeSpan.FromSeconds(1));
        services.AddSingleton(log);
        services.AddTransient<RecordingJob>();
        return services.BuildServiceProvider();
    }

    internal sealed record Fire(string Job, string Instance, bool Recovering);

    internal sealed class FireLog
    {
        private readonly ConcurrentQueue<Fire> _fires = new();

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<Fire> Fires => [.. _fires];

        public void Add(Fire fire) => _fires.Enqueue(fire);

        public async Task<bool> WaitAsync(Func<IReadOnlyList<Fire>, bool> condition, TimeSpan timeout)
        {
            var until = DateTimeOffset.UtcNow + timeout;
            while (!condition(Fires))
            {
                if (DateTimeOffset.UtcNow > until)
                {
                    return false;
                }

                await Task.Delay(100);
            }

            return true;
        }
    }

    internal sealed class RecordingJob(FireLog log) : IJob
    {
        public const string Block = "block";

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            log.Add(new Fire(context.JobDetail.Key.Name, context.Scheduler.SchedulerInstanceId, context.Recovering));
            if (context.MergedJobDataMap.ContainsKey(Block))
            {
                await log.Release.Task; // ignores cancellation, like a process that simply stopped
            }
        }
    }
}
