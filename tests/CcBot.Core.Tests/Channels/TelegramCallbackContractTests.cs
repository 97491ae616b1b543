using CcBot.Core.Channels.Telegram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CcBot.Testing;

namespace CcBot.Core.Tests.Channels;

public abstract class TelegramCallbackContractTests(string provider) : InstanceContractTests(provider)
{
    private static readonly string LongPayload = "quiz:answer:" + new string('x', 80);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Telegram:BotToken"] = "123456:test-token" };

    protected override void Register(IServiceCollection services, IConfiguration configuration) => services.AddTelegramChannel(configuration);

    private static TelegramCallbacks Callbacks(IServiceProvider instance) => instance.GetRequiredService<TelegramCallbacks>();

    [Fact]
    public async Task Short_payloads_travel_inline_and_long_ones_by_a_stable_id()
    {
        var callbacks = Callbacks(StartInstance());
        (await callbacks.EncodeAsync("menu", CancellationToken.None)).Should().Be("menu");
        (await callbacks.DecodeAsync("menu", CancellationToken.None)).Should().Be("menu");

        var data = await callbacks.EncodeAsync(LongPayload, CancellationToken.None);
        data.Should().StartWith(TelegramCallbacks.Prefix);
        System.Text.Encoding.UTF8.GetByteCount(data).Should().BeLessThanOrEqualTo(TelegramCallbacks.MaxCallbackBytes);
        (await callbacks.EncodeAsync(LongPayload, CancellationToken.None)).Should().Be(data, "the same payload keeps its id");
        (await callbacks.DecodeAsync(data, CancellationToken.None)).Should().Be(LongPayload);

        var prefixed = await callbacks.EncodeAsync("cb:7", CancellationToken.None);
        prefixed.Should().NotBe("cb:7", "a payload that looks like a stored reference is stored too");
        (await callbacks.DecodeAsync(prefixed, CancellationToken.None)).Should().Be("cb:7");
    }

    [Fact]
    public async Task Unknown_or_malformed_references_decode_to_nothing()
    {
        var callbacks = Callbacks(StartInstance());
        (await callbacks.DecodeAsync("cb:999999", CancellationToken.None)).Should().BeNull();
        (await callbacks.DecodeAsync("cb:abc", CancellationToken.None)).Should().BeNull();
        (await callbacks.DecodeAsync("cb:-1", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task A_button_sent_by_one_instance_is_understood_by_another()
    {
        var first = Callbacks(StartInstance());
        var second = Callbacks(StartInstance());
        var encoded = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).EncodeAsync(LongPayload, CancellationToken.None))));
        encoded.Distinct().Should().ContainSingle("both instances agree on the payload's id");
        (await second.DecodeAsync(encoded[0], CancellationToken.None)).Should().Be(LongPayload);
        (await first.DecodeAsync(encoded[0], CancellationToken.None)).Should().Be(LongPayload);
    }
}

public sealed class TelegramCallbacksOnSqlite() : TelegramCallbackContractTests("sqlite");

public sealed class TelegramCallbacksOnPostgres() : TelegramCallbackContractTests("postgres");
