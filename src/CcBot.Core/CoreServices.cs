using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Core.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core;

/// <summary>Registers the pipeline, storage, texts and dialogs shared by the web host and the CLI.</summary>
public static class CoreServices
{
    public static IServiceCollection AddCcBotCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .Validate(o => o.Provider is StorageProvider.Sqlite or StorageProvider.Postgres, "Storage:Provider must be 'sqlite' (embedded, default) or 'postgres'.")
            .Validate(o => o.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString), "Storage:ConnectionString is required when Storage:Provider is 'postgres'.")
            .Validate(o => o.MaxBatch is > 0 and <= 10_000, "Storage:MaxBatch must be between 1 and 10000.")
            .ValidateOnStart();
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section))
            .Validate(o => o.MaxParallelConversations > 0, "Pipeline:MaxParallelConversations must be positive.")
            .Validate(o => o.MaxHandledTextLength >= 100, "Pipeline:MaxHandledTextLength must be at least 100.")
            .Validate(o => o.RetryIntervalSeconds is >= 1 and <= 3600, "Pipeline:RetryIntervalSeconds must be between 1 and 3600.")
            .Validate(o => o.MaxSendAttempts is >= 1 and <= 100, "Pipeline:MaxSendAttempts must be between 1 and 100.")
            .Validate(o => o.RetryBaseSeconds is > 0 and <= 86_400 && o.RetryMaxSeconds >= o.RetryBaseSeconds && o.RetryMaxSeconds <= 7 * 86_400,
                "Pipeline:RetryBaseSeconds must be positive and at most Pipeline:RetryMaxSeconds (at most 7 days).");
        services.Configure<ContentOptions>(configuration.GetSection(ContentOptions.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => ContentPaths.Resolve(sp.GetRequiredService<IOptions<ContentOptions>>().Value.Root, contentRoot));
        services.AddSingleton<ITextCatalog>(sp => YamlTextCatalog.LoadFolder(sp.GetRequiredService<ContentPaths>().Dialogs));

        services.AddSingleton<IMigrationSource, CoreMigrations>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (o.IsPostgres())
            {
                throw new InvalidOperationException("Storage:Provider is 'postgres' but a service asked for the SQLite database: a store without a PostgreSQL implementation is registered.");
            }

            var db = new SqliteDatabase(SqliteConnectionString(o, contentRoot), sp.GetRequiredService<ILogger<SqliteDatabase>>(), o.MaxBatch, o.Synchronous);
            db.Initialize(sp.GetServices<IMigrationSource>().SelectMany(m => m.Migrations));
            return db;
        });
        services.AddSingleton<IPostgresMigrationSource, PostgresCoreMigrations>();
        // The consent log belongs to the users table: every slice that asks for consent records it.
        services.AddOptions<Privacy.PrivacyOptions>().Bind(configuration.GetSection(Privacy.PrivacyOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConsentVersion), "Privacy:ConsentVersion must not be empty.")
            .Validate(o => o.TranscriptRetentionDays >= 0, "Privacy:TranscriptRetentionDays must be 0 (keep) or a number of days.")
            .Validate(o => Quartz.CronExpression.TryParse(o.RetentionCron, out _), "Privacy:RetentionCron must be a Quartz cron expression, e.g. '0 30 2 * * ?'.")
            .Validate(o => o.ExportLinkMinutes is >= 1 and <= 7 * 24 * 60, "Privacy:ExportLinkMinutes must be between 1 and 10080.")
            .Validate(o => o.PublicBaseUrl.Length == 0 || (Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "Privacy:PublicBaseUrl must be an absolute http(s) address, or empty.")
            .ValidateOnStart();
        services.AddSingleton<Privacy.PrivacyMigrations>();
        services.AddSingleton<IMigrationSource>(sp => sp.GetRequiredService<Privacy.PrivacyMigrations>());
        services.AddSingleton<IPostgresMigrationSource>(sp => sp.GetRequiredService<Privacy.PrivacyMigrations>());
        services.AddSingleton<Privacy.ConsentLog>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var db = new PostgresDatabase(o.ConnectionString ?? "", sp.GetRequiredService<ILogger<PostgresDatabase>>());
            try
            {
                db.MigrateAsync(sp.GetServices<IPostgresMigrationSource>().SelectMany(m => m.Migrations)).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                throw new InvalidOperationException($"Cannot reach or migrate {db.Describe} (Storage:ConnectionString): {ex.Message}", ex);
            }

            return db;
        });
        services.AddStore<IConversationStore, SqliteConversationStore, PostgresConversationStore>();
        services.AddStore<IConversationLock, InProcessConversationLock, PostgresConversationLock>();
        services.AddHostedService<PostgresChangeRelay>();

        services.AddSingleton<OutboundNotifier>();
        services.AddSingleton<ChannelSenders>();
        services.AddSingleton<ReplyRetries>();
        services.AddSqlConnections();
        services.AddSingleton<FailedReplies>();
        services.AddSingleton<IProactiveMessenger, ProactiveMessenger>();
        services.AddMetrics();
        services.TryAddSingleton<Telemetry.CcBotMetrics>();
        services.AddSingleton<TurnPipeline>();
        services.AddSingleton<IInbox>(sp => sp.GetRequiredService<TurnPipeline>());

        services.AddSingleton<DialogRunner>();
        services.AddSingleton<ITurnHandler, Router>();
        services.AddSingleton<IDialog, HumanHandoffDialog>();
        services.AddSingleton<IBotAction, ConversationActions>();
        services.AddSingleton<IBotAction, HumanAction>();
        return services;
    }

    /// <summary>The SQLite connection string: configured, or <c>{DataFolder}/ccbot.db</c> under the content root.</summary>
    public static string SqliteConnectionString(StorageOptions options, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString);
            if (string.IsNullOrWhiteSpace(builder.DataSource))
            {
                throw new InvalidOperationException("Storage:ConnectionString has no 'Data Source'.");
            }

            builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
            return builder.ToString();
        }

        var folder = Path.GetFullPath(options.DataFolder, contentRoot);
        return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "ccbot.db") }.ToString();
    }
}
