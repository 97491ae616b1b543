using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Channels.Telegram;

/// <summary>Registration of the Telegram channel (Bot API adapter). Not built yet: the channel is off.</summary>
public static class TelegramServices
{
    public static IServiceCollection AddTelegramChannel(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }

    public static IEndpointRouteBuilder MapTelegram(this IEndpointRouteBuilder app) => app;
}
