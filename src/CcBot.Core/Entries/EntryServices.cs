using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Entries;

/// <summary>Registration of contest entries (submissions with receipts, similarity check) and voting. Not built yet.</summary>
public static class EntryServices
{
    public static IServiceCollection AddCcBotEntries(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }
}
