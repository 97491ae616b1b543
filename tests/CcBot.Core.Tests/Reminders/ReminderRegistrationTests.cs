using CcBot.Core.Broadcasts;
using CcBot.Core.Outbox;
using CcBot.Core.Reminders;
using CcBot.Core.Tests.Contests;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Tests.Reminders;

/// <summary>What <c>AddCcBotReminders</c> resolves for each <c>Storage:Provider</c>.</summary>
public sealed class ReminderRegistrationTests
{
    [Theory]
    [InlineData("sqlite", typeof(SqliteOutboxStore), typeof(SqliteBroadcastStore), typeof(SqliteReminderStore))]
    [InlineData("postgres", typeof(PostgresOutboxStore), typeof(PostgresBroadcastStore), typeof(PostgresReminderStore))]
    public async Task Stores_options_and_pacing_follow_the_provider(string provider, Type outbox, Type broadcasts, Type reminders)
    {
        await using var backend = await StorageBackend.CreateAsync(provider);
        var settings = new Dictionary<string, string?>(backend.Configuration) { ["Outbox:SingleInstance"] = "true" };
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
        services.AddCcBotCore(config, Repo.Root);
        services.AddCcBotReminders(config);
        await using var sp = services.BuildServiceProvider();

        sp.GetRequiredService<IOutboxStore>().Should().BeOfType(outbox);
        sp.GetRequiredService<IBroadcastStore>().Should().BeOfType(broadcasts);
        sp.GetRequiredService<IReminderStore>().Should().BeOfType(reminders);
        // A shared outbox never releases every claim at start: another instance may be sending them.
        sp.GetRequiredService<IOptions<OutboxOptions>>().Value.SingleInstance.Should().Be(provider == "sqlite");
        var paced = sp.GetServices<IOutboxPacing>().SelectMany(p => p.Channels).ToList();
        paced.Should().Contain("msteams").And.OnlyHaveUniqueItems();
        paced.Contains("telegram").Should().Be(provider == "postgres", "Telegram's global rate is shared through the database only on PostgreSQL");
        sp.GetRequiredService<OutboxWorker>().Should().NotBeNull("the outbox worker builds from these registrations on both providers");
    }
}
