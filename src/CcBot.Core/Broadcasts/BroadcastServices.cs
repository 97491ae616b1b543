using CcBot.Core.Storage;
using CcBot.Core.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Broadcasts;

/// <summary>Registration of organizer broadcasts (sent through the outbox, <see cref="Outbox.OutboxServices"/>).</summary>
public static class BroadcastServices
{
    public static IServiceCollection AddCcBotBroadcasts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCcBotOutbox(configuration);
        services.AddStore<IBroadcastStore, SqliteBroadcastStore, PostgresBroadcastStore>();
        services.AddSingleton<BroadcastService>();
        return services;
    }
}
