using CcBot.Core.Broadcasts;
using CcBot.Core.Dialogs;
using CcBot.Core.Outbox;
using CcBot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Impl.AdoJobStore;
using Quartz.Impl.AdoJobStore.Common;

namespace CcBot.Core.Reminders;

/// <summary>Registration of reminders (Quartz on the bot's database), broadcasts and the proactive outbox.</summary>
public static class ReminderServices
{
    public static IServiceCollection AddCcBotReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReminderOptions>().Bind(configuration.GetSection(ReminderOptions.Section))
            .Validate(o => o.Validate().Count == 0, "Reminders: invalid settings (offsets positive, quiet hours times of day, grace not negative).")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section))
            .Validate(o => o.Validate().Count == 0, "Outbox: invalid settings (Concurrency 1-1024, ClaimBatch 1-10000, Lease >= 5 s, positive backoff).")
            .ValidateOnStart();

        services.AddSingleton<IMigrationSource, ReminderMigrations>();
        services.AddSingleton<IOutboxStore, SqliteOutboxStore>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutboxPacing, TeamsConversationPacing>();
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());

        services.AddSingleton<IBroadcastStore, SqliteBroadcastStore>();
        services.AddSingleton<BroadcastService>();

        services.AddSingleton<IReminderStore, SqliteReminderStore>();
        services.AddSingleton<ReminderDispatcher>();
        services.AddSingleton<IBotAction, ReminderActions>();
        services.AddTransient<ReminderJob>();

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "ccbot";
                o.GenerateInstanceId = true;
            });
            q.UsePersistentStore(s =>
            {
                // The bot's own database (tables from migration 0190_quartz); the connection string is the storage's, resolved at start.
                s.UseConnectionProvider(sp => new DbProvider("SQLite-Microsoft", sp.GetRequiredService<SqliteDatabase>().ConnectionString));
                s.UseDriverDelegate<SQLiteDelegate>();
                s.UseSystemTextJsonSerializer();
            });
        });
        services.AddSingleton<ReminderScheduleSync>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderScheduleSync>());
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
