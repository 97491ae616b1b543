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
        services.AddCcBotBroadcasts(config);
        await using var sp = services.BuildServiceProvider();

        services.Should().ContainSingle(d => d.ServiceType == typeof(OutboxWorker), "reminders and broadcasts share one outbox (registered once, with its hosted worker)");
        sp.GetRequiredService<IOutboxStore>().Should().BeOfType(outbox);
        sp.GetRequiredService<IBroadcastStore>().Should().BeOfType(broadcasts);
        sp.GetRequiredService<IReminderStore>().Should().BeOfType(reminders);
        // A shared outbox never releases every claim at start: another instance may be sending them.
        sp.GetRequiredService<IOptions<OutboxOptions>>().Value.SingleInstance.Should().Be(provider == "sqlite");
        var paced = sp.GetServices<IOutboxPacing>().SelectMany(p => p.Channels).ToList();
        paced.Should().Contain("msteams").And.OnlyHaveUniqueItems();
        paced.Should().NotContain("telegram", "Telegram's shared global rate is applied by its sender to every message, not by the outbox");
        sp.GetRequiredService<OutboxWorker>().Should().NotBeNull("the outbox worker builds from these registrations on both providers");
    }

    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("postgres", true)]
    public async Task Telegram_sends_share_the_global_rate_through_the_database_only_on_postgres(string provider, bool shared)
    {
        await using var backend = await StorageBackend.CreateAsync(provider);
        var settings = new Dictionary<string, string?>(backend.Configuration) { ["Telegram:BotToken"] = "123:abc", ["Telegram:GlobalRatePerSecond"] = "20" };
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
        services.AddCcBotCore(config, Repo.Root);
        services.AddCcBotReminders(config);
        CcBot.Core.Channels.Telegram.TelegramServices.AddTelegramChannel(services, config);
        await using var sp = services.BuildServiceProvider();

        var rate = sp.GetRequiredKeyedService<SharedChannelRate>("telegram");
        rate.Shared.Should().Be(shared);
        sp.GetServices<CcBot.Core.Pipeline.IChannelSender>().Should().Contain(s => s.Channel == "telegram", "the sender builds with the shared rate");
        if (shared)
        {
            // Two instances' worth of sends (two rate objects) reserve slots 1/20 s apart on one timeline: 30 sends take >= 1.4 s.
            var other = new SharedChannelRate("telegram", 20, sp.GetRequiredService<PostgresRateLimiter>(), TimeProvider.System);
            var started = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? rate : other).WaitAsync(CancellationToken.None).AsTask()));
            started.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.35));
        }
    }
}
