using System.Net;
using CcBot.Host.Tests.ScaleOut;
using CcBot.Host.Tests.Telegram;

namespace CcBot.Host.Tests.Zalo;

public sealed class ZaloScaleOutTests
{
    [Fact]
    public async Task Two_host_processes_on_one_PostgreSQL_renew_the_token_exactly_once()
    {
        await using var fake = await FakeZaloApi.StartAsync();
        fake.RefreshDelay = TimeSpan.FromSeconds(1);
        var extra = ZaloTestSupport.Settings(fake).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        await using var pair = await TwoInstances.StartAsync(extra);
        (await pair.CountAsync("SELECT count(*) FROM zalo_tokens")).Should().Be(1, "both instances seeded from configuration; one row");

        // The token stops working: both instances hit -216 at about the same time and both want to renew.
        fake.ExpireAccessToken();
        var users = new[] { "7700000000000000001", "7700000000000000002", "7700000000000000003", "7700000000000000004" };
        var posts = users.Select((u, i) => PostAsync(pair[i], ZaloTestSupport.TextEvent(u, "e" + i, "thể lệ cuộc thi", DateTimeOffset.UtcNow))).ToArray();
        (await Task.WhenAll(posts)).Should().OnlyContain(s => s == HttpStatusCode.OK);

        await FakeBotApi.WaitUntilAsync(() => users.All(u => fake.SentTo(u).Count > 0), 60, "every user is answered: " + pair.Logs);
        fake.Renewals.Should().Be(1, "exactly one instance renews; the other reads the new pair");
        fake.RefusedRefreshes.Should().Be(0, "nobody used the single-use refresh token twice");
        users.SelectMany(fake.SentTo).Should().OnlyContain(s => s.AccessToken == "access-1");
        (await pair.CountAsync("SELECT generation FROM zalo_tokens")).Should().Be(2);
    }

    private static async Task<HttpStatusCode> PostAsync(Infrastructure.HostProcess instance, string body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(instance.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        using var response = await ZaloTestSupport.PostAsync(http, body);
        return response.StatusCode;
    }
}
