using CcBot.Core.Contests;
using CcBot.Core.Entries;
using CcBot.Core.Storage;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Voting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CcBot.Core.Tests.Entries;

/// <summary>Entries and voting over a real SQLite file in a temp folder, with the repository's contests and entry settings.</summary>
internal sealed class EntryHarness : IAsyncDisposable
{
    public EntryHarness()
    {
        Folder = Path.Combine(Path.GetTempPath(), "ccbot-core-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Database = new SqliteDatabase($"Data Source={Path.Combine(Folder, "ccbot.db")}", NullLogger<SqliteDatabase>.Instance, 256, "NORMAL");
        Database.Initialize(new CoreMigrations().Migrations.Concat(new EntryMigrations().Migrations).Concat(new VotingMigrations().Migrations));
        Catalog = ContestCatalog.Load(Repo.ContestsDir);
        Settings = EntrySettingsCatalog.LoadFolder(Path.Combine(Repo.Root, "data", "entries"));
        Store = new SqliteEntryStore(Database);
        Files = new EntryFileStore(Path.Combine(Folder, "entries"));
        Service = new EntryService(Catalog, Settings, Store, Files);
        Votes = new SqliteVoteStore(Database);
        Voting = new VotingService(Service, Store, Votes);
    }

    public string Folder { get; }

    public SqliteDatabase Database { get; }

    public ContestCatalog Catalog { get; }

    public EntrySettingsCatalog Settings { get; }

    public SqliteEntryStore Store { get; }

    public EntryFileStore Files { get; }

    public EntryService Service { get; }

    public SqliteVoteStore Votes { get; }

    public VotingService Voting { get; }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
        }
    }
}
