using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>Registration of the Bot Framework Connector channel (Microsoft Teams). Not built yet: the channel is off.</summary>
public static class BotFrameworkServices
{
    public static IServiceCollection AddBotFrameworkChannel(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }

    public static IEndpointRouteBuilder MapBotFramework(this IEndpointRouteBuilder app) => app;
}
