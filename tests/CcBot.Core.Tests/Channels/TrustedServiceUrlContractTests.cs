using CcBot.Core.Channels.BotFramework;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CcBot.Testing;

namespace CcBot.Core.Tests.Channels;

public abstract class TrustedServiceUrlContractTests(string provider) : InstanceContractTests(provider)
{
    protected override void Register(IServiceCollection services, IConfiguration configuration) => services.AddBotFrameworkChannel(configuration);

    private static TrustedServiceUrls Trusted(IServiceProvider instance) => instance.GetRequiredService<TrustedServiceUrls>();

    [Fact]
    public async Task Trust_is_per_origin()
    {
        var trusted = Trusted(StartInstance());
        (await trusted.IsTrustedAsync("https://smba.trafficmanager.net/apac/", CancellationToken.None)).Should().BeFalse();
        await trusted.TrustAsync("https://smba.trafficmanager.net/apac/", "msteams", CancellationToken.None);

        (await trusted.IsTrustedAsync("https://SMBA.trafficmanager.net/emea/", CancellationToken.None)).Should().BeTrue("another path on the same host");
        (await trusted.IsTrustedAsync("https://smba.trafficmanager.net:8443/apac/", CancellationToken.None)).Should().BeFalse("another port");
        (await trusted.IsTrustedAsync("http://smba.trafficmanager.net/apac/", CancellationToken.None)).Should().BeFalse("another scheme");
        (await trusted.IsTrustedAsync("not a url", CancellationToken.None)).Should().BeFalse();
        (await trusted.IsTrustedAsync(null, CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task A_service_url_trusted_on_one_instance_is_trusted_by_the_others()
    {
        var first = Trusted(StartInstance());
        var second = Trusted(StartInstance());
        (await second.IsTrustedAsync("https://smba.trafficmanager.net/apac/", CancellationToken.None)).Should().BeFalse();
        await first.TrustAsync("https://smba.trafficmanager.net/apac/", "msteams", CancellationToken.None);
        (await second.IsTrustedAsync("https://smba.trafficmanager.net/amer/", CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task Recording_an_origin_again_refreshes_it()
    {
        var instance = StartInstance();
        var store = instance.GetRequiredService<ITrustedServiceUrlStore>();
        (await store.LastSeenAsync("https://a.example:443", CancellationToken.None)).Should().BeNull();
        await store.RecordAsync("https://a.example:443", "https://a.example/one/", "msteams", At(1), CancellationToken.None);
        await store.RecordAsync("https://a.example:443", "https://a.example/two/", "msteams", At(5), CancellationToken.None);
        (await store.LastSeenAsync("https://a.example:443", CancellationToken.None)).Should().Be(At(5));
        (await ExecAsync(instance, "SELECT service_url FROM trusted_service_urls WHERE origin = @o", ("o", "https://a.example:443"))).Should().Be("https://a.example/two/");
    }
}

public sealed class TrustedServiceUrlsOnSqlite() : TrustedServiceUrlContractTests("sqlite");

public sealed class TrustedServiceUrlsOnPostgres() : TrustedServiceUrlContractTests("postgres");
