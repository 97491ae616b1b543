using CcBot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Outbox;

/// <summary>
/// Registration of the durable outbox every proactive message goes through (reminders, broadcasts): its store, worker and
/// pacing. On PostgreSQL claims are never released wholesale at start (another live instance may hold them).
/// </summary>
public static class OutboxServices
{
    /// <summary>Registers the outbox once (reminders and broadcasts both ask for it).</summary>
    public static IServiceCollection AddCcBotOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(OutboxWorker)))
        {
            return services;
        }

        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section))
            .PostConfigure<IOptions<StorageOptions>>((o, storage) =>
            {
                // A shared outbox: releasing every claim at start would hand rows another live instance is sending to a second sender.
                if (storage.Value.IsPostgres())
                {
                    o.SingleInstance = false;
                }
            })
            .Validate(o => o.Validate().Count == 0, "Outbox: invalid settings (Concurrency 1-1024, ClaimBatch 1-10000, Lease >= 5 s, positive backoff).")
            .ValidateOnStart();
        services.AddStore<IOutboxStore, SqliteOutboxStore, PostgresOutboxStore>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutboxPacing, TeamsConversationPacing>();
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());
        return services;
    }
}
