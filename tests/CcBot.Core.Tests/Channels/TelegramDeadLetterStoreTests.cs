using CcBot.Core.Channels.Telegram;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Tests.Channels;

/// <summary>The dead-letter store is written once (shared SQL through Dapper): the same test on SQLite and on PostgreSQL.</summary>
public abstract class TelegramDeadLetterStoreTests(string provider) : InstanceContractTests(provider)
{
    protected override void Register(IServiceCollection services, IConfiguration configuration) => services.AddTelegramChannel(configuration);

    [Fact]
    public async Task Dead_letters_are_kept_once_per_update_and_listed_newest_first()
    {
        var store = StartInstance().GetRequiredService<TelegramDeadLetterStore>();
        var at = new DateTimeOffset(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);

        await store.AddAsync(11, """{"update_id":11}""", "unreadable update: bad chat", 3, at, default);
        await store.AddAsync(12, """{"update_id":12}""", "SqliteException: disk I/O error", 3, at.AddSeconds(1), default);
        await store.AddAsync(11, """{"update_id":11,"again":true}""", "again", 4, at.AddSeconds(2), default);

        (await store.CountAsync(default)).Should().Be(2);
        var list = await store.ListAsync(10, default);
        list.Select(l => l.UpdateId).Should().Equal(12, 11);
        list[1].Should().BeEquivalentTo(new { Raw = """{"update_id":11}""", Error = "unreadable update: bad chat", Attempts = 3, At = at },
            o => o.ExcludingMissingMembers(), "the first dead letter of an update is kept");
        (await store.ListAsync(1, default)).Should().ContainSingle();
    }
}

public sealed class TelegramDeadLetterStoreOnSqlite() : TelegramDeadLetterStoreTests("sqlite");

public sealed class TelegramDeadLetterStoreOnPostgres() : TelegramDeadLetterStoreTests("postgres");
