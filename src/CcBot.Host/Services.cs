using CcBot.Core;

namespace CcBot.Host;

/// <summary>Everything the bot needs, for the web host and the command line alike.</summary>
public static class Services
{
    public static IServiceCollection AddCcBotServices(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddCcBotCore(configuration, contentRoot);
        return services;
    }
}
