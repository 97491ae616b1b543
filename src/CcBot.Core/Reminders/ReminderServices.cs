using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Reminders;

/// <summary>Registration of reminders, broadcasts and the proactive outbox (Quartz jobs). Not built yet.</summary>
public static class ReminderServices
{
    public static IServiceCollection AddCcBotReminders(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }
}
