using CcBot.Core.Broadcasts;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Dialogs;
using CcBot.Core.Outbox;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl.AdoJobStore;
using Quartz.Impl.AdoJobStore.Common;

namespace CcBot.Core.Reminders;

/// <summary>
/// Registration of reminders (Quartz on the bot's database); they are sent through the outbox (<see cref="OutboxServices"/>).
/// The provider is chosen when the services are first resolved (<c>Storage:Provider</c>): on PostgreSQL the stores are the
/// PostgreSQL ones and Quartz is clustered over the shared database. The reminder migrations also create the outbox and
/// broadcast tables (their ids are fixed in existing databases).
/// </summary>
public static class ReminderServices
{
    public static IServiceCollection AddCcBotReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReminderOptions>().Bind(configuration.GetSection(ReminderOptions.Section))
            .Validate(o => o.Validate().Count == 0, "Reminders: invalid settings (offsets positive, quiet hours times of day, grace not negative, cluster check-in at least 1 s).")
            .ValidateOnStart();
        services.AddCcBotOutbox(configuration);
        services.AddSingleton<IMigrationSource, ReminderMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresReminderMigrations>();
        services.AddStore<IReminderStore, SqliteReminderStore, PostgresReminderStore>();
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
                // The bot's own database (tables from migration 0190_quartz); provider and connection string are the storage's, resolved at start.
                s.UseConnectionProvider(QuartzStorage.ConnectionProvider);
                s.UseDriverDelegate(QuartzStorage.DriverDelegate);
                s.UseSystemTextJsonSerializer();
            });
        });
        services.AddSingleton<IConfigureOptions<ClusteringOptions>, QuartzStorage.ConfigureClustering>();
        services.AddSingleton<IConfigureOptions<AdoJobStoreOptions>, QuartzStorage.ConfigureStore>();
        services.AddSingleton<ReminderScheduleSync>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderScheduleSync>());
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}

/// <summary>
/// Quartz's job store on the bot's database, chosen at start from <c>Storage:Provider</c>: SQLite is one instance (no cluster);
/// PostgreSQL is a cluster of every instance sharing the database (database row locks, check-ins), so each reminder fires on
/// exactly one instance and the others take over a dead instance's triggers after its check-in is overdue.
/// </summary>
public static class QuartzStorage
{
    /// <summary>Quartz's provider name for Npgsql (its metadata describes the Npgsql connection, command and parameter types).</summary>
    public const string NpgsqlProvider = "Npgsql";

    public const string SqliteProvider = "SQLite-Microsoft";

    public static IDbProvider ConnectionProvider(IServiceProvider sp) => sp.UsesPostgres()
        ? new DbProvider(NpgsqlProvider, sp.GetRequiredService<PostgresDatabase>().ConnectionString)
        : new DbProvider(SqliteProvider, sp.GetRequiredService<SqliteDatabase>().ConnectionString);

    public static IDriverDelegate DriverDelegate(IServiceProvider sp) => sp.UsesPostgres() ? new PostgreSQLDelegate() : new SQLiteDelegate();

    /// <summary>Clustering on PostgreSQL, with the check-in interval and threshold of <see cref="ReminderOptions"/>.</summary>
    public sealed class ConfigureClustering(IOptions<StorageOptions> storage, IOptions<ReminderOptions> reminders) : IConfigureNamedOptions<ClusteringOptions>
    {
        public void Configure(string? name, ClusteringOptions options)
        {
            if (!storage.Value.IsPostgres())
            {
                return;
            }

            options.Enabled = true;
            options.CheckinInterval = reminders.Value.ClusterCheckinInterval;
            options.CheckinMisfireThreshold = reminders.Value.ClusterCheckinMisfireThreshold;
        }

        public void Configure(ClusteringOptions options) => Configure(Options.DefaultName, options);
    }

    /// <summary>Database row locks (required by clustering) on PostgreSQL.</summary>
    public sealed class ConfigureStore(IOptions<StorageOptions> storage) : IConfigureNamedOptions<AdoJobStoreOptions>
    {
        public void Configure(string? name, AdoJobStoreOptions options)
        {
            if (storage.Value.IsPostgres())
            {
                options.UseDbLocks = true;
            }
        }

        public void Configure(AdoJobStoreOptions options) => Configure(Options.DefaultName, options);
    }
}
