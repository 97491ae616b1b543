using CcBot.Core.Dialogs;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Core.Voting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Entries;

/// <summary>Registration of contest entries (submissions with receipts, similarity check) and voting.</summary>
public static class EntryServices
{
    public static IServiceCollection AddCcBotEntries(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EntryOptions>(configuration.GetSection(EntryOptions.Section));
        services.AddSingleton<IMigrationSource, EntryMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresEntryMigrations>();
        services.AddSingleton(sp => EntrySettingsCatalog.LoadFolder(Path.Combine(sp.GetRequiredService<ContentPaths>().Data, "entries")));
        services.AddSingleton(sp => new EntryFileStore(Path.Combine(
            Path.GetFullPath(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataFolder, sp.GetRequiredService<IHostEnvironment>().ContentRootPath), "entries")));
        services.AddStore<IEntryStore, SqliteEntryStore, PostgresEntryStore>();
        services.AddSingleton<EntryService>();
        services.AddSingleton<EntryExport>();
        services.AddSingleton<IMigrationSource, VotingMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresVotingMigrations>();
        services.AddStore<IVoteStore, SqliteVoteStore, PostgresVoteStore>();
        services.AddSingleton<VotingService>();
        services.AddSingleton<IAttachmentFetcher, DirectLineAttachmentFetcher>();
        services.AddSingleton<IAttachmentFetcher, TelegramAttachmentFetcher>();
        services.AddHttpClient(TeamsAttachmentFetcher.HttpClientName, c => c.Timeout = TimeSpan.FromMinutes(2));
        services.AddSingleton<IAttachmentFetcher, TeamsAttachmentFetcher>();
        services.AddSingleton<IDialog, EntrySubmitDialog>();
        services.AddSingleton<IBotAction, EntryActions>();
        services.AddSingleton<IBotAction, VoteActions>();
        return services;
    }
}
