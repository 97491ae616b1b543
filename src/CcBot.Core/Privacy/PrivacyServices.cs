using CcBot.Core.Dialogs;
using CcBot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Privacy;

/// <summary>
/// Registration of personal data duties (Nghị định 13/2023/NĐ-CP): "dữ liệu của tôi" in the chat, export and erasure for the
/// participant and for staff, and the daily retention job on Quartz (the consent log itself is registered with the core).
/// </summary>
public static class PrivacyServices
{
    public static IServiceCollection AddCcBotPrivacy(this IServiceCollection services)
    {
        services.AddSqlConnections();
        services.AddSingleton<PrivacySubjects>();
        services.AddSingleton<PersonalDataExport>();
        services.AddSingleton<PersonalDataEraser>();
        services.AddSingleton<StaffPrivacy>();
        services.AddSingleton<TranscriptRetention>();
        services.AddSingleton<IBotAction, PrivacyActions>();
        services.AddTransient<TranscriptRetentionJob>();
        services.AddHostedService<RetentionSchedule>();
        return services;
    }
}
