using CcBot.Core.Pipeline;
using CcBot.Core;
using CcBot.Core.Privacy;
using CcBot.Core.Channels.BotFramework;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Channels.Zalo;
using CcBot.Core.Contests;
using CcBot.Core.Entries;
using CcBot.Core.HelpDesk;
using CcBot.Core.Nlu;
using CcBot.Core.Quiz;
using CcBot.Core.Broadcasts;
using CcBot.Core.Outbox;
using CcBot.Core.Reminders;
using CcBot.Host.StaffConsole;

namespace CcBot.Host;

/// <summary>Everything the bot needs, for the web host and the command line alike.</summary>
public static class Services
{
    /// <remarks>CLI verbs build a host with these services but never start it, so hosted services (pollers, schedulers) run only in the web host.</remarks>
    public static IServiceCollection AddCcBotServices(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        StaffConsole.DataProtectionKeys.AddKeyRingMigrations(services);
        services.AddCcBotCore(configuration, contentRoot);
        // First of the hosted services (they start in registration order): recovery takes its list of stored-but-unhandled
        // messages and unsent replies before any channel takes new ones. Started after the Telegram poller, it counted the
        // poller's turns in flight as left over by a crash and handled or sent them a second time.
        services.AddHostedService<RecoveryService>();
        services.AddCcBotNlu(configuration, contentRoot);
        services.AddCcBotHelpDesk();
        services.AddStaffAccounts(configuration);
        services.AddCcBotContests(configuration);
        services.AddCcBotQuiz(configuration);
        services.AddCcBotBroadcasts(configuration);
        services.AddCcBotReminders(configuration);
        services.AddCcBotEntries(configuration);
        services.AddCcBotPrivacy();
        services.AddTelegramChannel(configuration);
        services.AddBotFrameworkChannel(configuration);
        services.AddZaloChannel(configuration);
        return services;
    }
}
