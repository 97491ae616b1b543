using CcBot.Core.Entries;
using CcBot.Core.Quiz;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Voting;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Tests.Entries;

/// <summary>
/// The quiz, entries and voting registrations pick the configured provider's stores, and the provider's migrations
/// (applied when the database is first resolved) create the tables those stores use.
/// </summary>
public abstract class SliceStoreRegistrationTests(string provider)
{
    [Fact]
    public async Task The_slices_resolve_the_providers_stores_with_the_same_migration_ids_on_both_providers()
    {
        await using var backend = await StorageBackend.CreateAsync(provider);
        var config = new ConfigurationBuilder().AddInMemoryCollection(backend.Configuration).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
        services.AddCcBotCore(config, Repo.Root).AddCcBotQuiz(config).AddCcBotEntries(config);
        await using (var sp = services.BuildServiceProvider())
        {
            var quiz = sp.GetRequiredService<IQuizStore>();
            var entries = sp.GetRequiredService<IEntryStore>();
            var votes = sp.GetRequiredService<IVoteStore>();
            quiz.Should().BeOfType(backend.IsPostgres ? typeof(PostgresQuizStore) : typeof(SqliteQuizStore));
            entries.Should().BeOfType(backend.IsPostgres ? typeof(PostgresEntryStore) : typeof(SqliteEntryStore));
            votes.Should().BeOfType(backend.IsPostgres ? typeof(PostgresVoteStore) : typeof(SqliteVoteStore));

            (await quiz.CountAttemptsAsync("hai-duong-2024", 1, CancellationToken.None)).Should().Be(0);
            (await entries.ListAsync("khanh-hoa-2021", CancellationToken.None)).Should().BeEmpty();
            (await votes.ListAsync("khanh-hoa-2021", CancellationToken.None)).Should().BeEmpty();

            string[] mine = ["0100_quiz", "0300_entries", "0310_voting"];
            sp.GetServices<IMigrationSource>().SelectMany(m => m.Migrations).Select(m => m.Id).Should().Contain(mine);
            sp.GetServices<IPostgresMigrationSource>().SelectMany(m => m.Migrations).Select(m => m.Id).Should().Contain(mine);
        }
    }
}

public sealed class SliceStoreRegistrationOnSqlite() : SliceStoreRegistrationTests("sqlite");

public sealed class SliceStoreRegistrationOnPostgres() : SliceStoreRegistrationTests("postgres");
