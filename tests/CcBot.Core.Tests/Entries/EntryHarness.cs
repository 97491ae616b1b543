using CcBot.Core.Contests;
using CcBot.Core.Entries;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Voting;
using CcBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CcBot.Core.Tests.Entries;

/// <summary>
/// Entries and voting over a fresh database of either provider (a SQLite file or a PostgreSQL database), with the
/// repository's contests and entry settings; entry files go to a temp folder.
/// </summary>
internal sealed class EntryHarness : IAsyncDisposable
{
    private readonly StorageBackend _backend;
    private readonly IAsyncDisposable _database;

    private EntryHarness(StorageBackend backend, IAsyncDisposable database, IEntryStore store, IVoteStore votes)
    {
        _backend = backend;
        _database = database;
        Folder = Path.Combine(Path.GetTempPath(), "ccbot-core-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Catalog = ContestCatalog.Load(Repo.ContestsDir);
        Settings = EntrySettingsCatalog.LoadFolder(Path.Combine(Repo.Root, "data", "entries"));
        Store = store;
        Files = new EntryFileStore(Path.Combine(Folder, "entries"));
        Service = new EntryService(Catalog, Settings, Store, Files);
        Votes = votes;
        Voting = new VotingService(Service, Store, Votes);
    }

    /// <summary>A harness on <paramref name="provider"/> ("sqlite" or "postgres") with the core, entry and voting migrations applied.</summary>
    public static async Task<EntryHarness> CreateAsync(string provider = "sqlite")
    {
        var backend = await StorageBackend.CreateAsync(provider);
        if (backend.IsPostgres)
        {
            var pg = new PostgresDatabase(backend.ConnectionString, NullLogger<PostgresDatabase>.Instance);
            await pg.MigrateAsync(new PostgresCoreMigrations().Migrations.Concat(new PostgresEntryMigrations().Migrations).Concat(new PostgresVotingMigrations().Migrations));
            return new EntryHarness(backend, pg, new PostgresEntryStore(pg), new PostgresVoteStore(pg));
        }

        var sqlite = new SqliteDatabase(backend.ConnectionString, NullLogger<SqliteDatabase>.Instance, 256, "NORMAL");
        sqlite.Initialize(new CoreMigrations().Migrations.Concat(new EntryMigrations().Migrations).Concat(new VotingMigrations().Migrations));
        return new EntryHarness(backend, sqlite, new SqliteEntryStore(sqlite), new SqliteVoteStore(sqlite));
    }

    public string Folder { get; }

    public ContestCatalog Catalog { get; }

    public EntrySettingsCatalog Settings { get; }

    public IEntryStore Store { get; }

    public EntryFileStore Files { get; }

    public EntryService Service { get; }

    public IVoteStore Votes { get; }

    public VotingService Voting { get; }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        await _backend.DisposeAsync();
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
        }
    }
}
