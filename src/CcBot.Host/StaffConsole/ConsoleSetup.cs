namespace CcBot.Host.StaffConsole;

/// <summary>The staff web console at /console (help desk, organizer pages). Not built yet.</summary>
public static class ConsoleSetup
{
    public static IServiceCollection AddStaffConsole(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }

    public static WebApplication UseStaffConsole(this WebApplication app) => app;
}
