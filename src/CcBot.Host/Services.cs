using CcBot.Core;
using CcBot.Core.Channels.BotFramework;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Contests;
using CcBot.Core.Nlu;
using CcBot.Core.Quiz;

namespace CcBot.Host;

/// <summary>Everything the bot needs, for the web host and the command line alike.</summary>
public static class Services
{
    public static IServiceCollection AddCcBotServices(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddCcBotCore(configuration, contentRoot);
        services.AddCcBotNlu(configuration, contentRoot);
        services.AddCcBotContests(configuration);
        services.AddCcBotQuiz(configuration);
        services.AddTelegramChannel(configuration);
        services.AddBotFrameworkChannel(configuration);
        return services;
    }
}
