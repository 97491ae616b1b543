using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.DirectLine;

/// <summary>The server closes a stream when its lifetime is up; the client reconnects from its watermark and loses nothing.</summary>
public sealed class DirectLineStreamLifetimeTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["DirectLine:StreamLifetimeSeconds"] = "1" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("-1")]
    [InlineData("604801")]
    public async Task A_lifetime_out_of_range_stops_start_up_naming_the_key(string value)
    {
        var act = () => TestHost.StartAsync(new Dictionary<string, string?> { ["DirectLine:StreamLifetimeSeconds"] = value });
        (await act.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Message.Should().Contain("DirectLine:StreamLifetimeSeconds");
    }

    [Fact]
    public async Task A_stream_past_its_lifetime_is_closed_normally_and_a_reconnect_from_the_watermark_shows_only_what_is_new()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();

        using var first = new ClientWebSocket();
        await first.ConnectAsync(new Uri(dl.StreamUrl), CancellationToken.None);
        var (greeting, watermark) = await ReceiveSetAsync(first);
        greeting.Should().Contain(a => a["text"]!.GetValue<string>().StartsWith("Xin chào", StringComparison.Ordinal));

        var close = await first.ReceiveAsync(new byte[1024], new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        close.MessageType.Should().Be(WebSocketMessageType.Close, "the server ends the stream after its lifetime");
        first.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        await first.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        // Sent while no stream is open; then the client reconnects as botframework-directlinejs does.
        await dl.SendAsync("/help");
        using var reconnect = new HttpRequestMessage(HttpMethod.Get, $"v3/directline/conversations/{dl.ConversationId}?watermark={watermark}");
        reconnect.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dl.Token);
        var streamUrl = (await (await _host.Http.SendAsync(reconnect)).Content.ReadFromJsonAsync<JsonObject>())!["streamUrl"]!.GetValue<string>();
        using var second = new ClientWebSocket();
        await second.ConnectAsync(new Uri(streamUrl), CancellationToken.None);
        var pushed = new List<JsonObject>();
        while (!pushed.Any(a => a["from"]!["role"]!.GetValue<string>() == "bot"))
        {
            pushed.AddRange((await ReceiveSetAsync(second)).Activities);
        }

        pushed.Should().NotContain(a => a["text"]!.GetValue<string>().StartsWith("Xin chào", StringComparison.Ordinal), "nothing before the watermark is shown twice");
        pushed.First()["text"]!.GetValue<string>().Should().Be("/help");
        pushed.Last()["text"]!.GetValue<string>().Should().Contain("Tôi có thể giúp bạn");
    }

    private static Task<(List<JsonObject> Activities, string Watermark)> ReceiveSetAsync(ClientWebSocket ws) =>
        DirectLineClient.ReceiveSetAsync(ws, TimeSpan.FromSeconds(20));
}
