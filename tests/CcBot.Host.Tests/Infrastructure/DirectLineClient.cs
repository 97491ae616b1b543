using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CcBot.Host.Tests.Infrastructure;

/// <summary>A minimal Direct Line 3.0 client over real HTTP, as DirectLineJS calls the service.</summary>
public sealed class DirectLineClient(HttpClient http)
{
    public string Token { get; set; } = string.Empty;

    public string ConversationId { get; set; } = string.Empty;

    public string UserId { get; private set; } = string.Empty;

    public string StreamUrl { get; private set; } = string.Empty;

    public string Watermark { get; private set; } = string.Empty;

    public async Task StartAsync(string? contest = null)
    {
        var tokenResponse = await http.PostAsync("directline/token" + (contest is null ? string.Empty : "?contest=" + contest), null);
        tokenResponse.EnsureSuccessStatusCode();
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        Token = token["token"]!.GetValue<string>();
        UserId = token["userId"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v3/directline/conversations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        ConversationId = body["conversationId"]!.GetValue<string>();
        StreamUrl = body["streamUrl"]!.GetValue<string>();
    }

    public async Task<HttpResponseMessage> PostRawAsync(string json, string? token = null, string? conversationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v3/directline/conversations/{conversationId ?? ConversationId}/activities")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (token is not "")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Posts a message (or a button press when <paramref name="value"/> is set) and returns the server id.</summary>
    public async Task<string> SendAsync(string? text, string? value = null, string? clientActivityId = null)
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["from"] = new JsonObject { ["id"] = "spoofed-id", ["name"] = "Người dùng thử" },
            ["locale"] = "vi-VN",
            ["channelData"] = new JsonObject { ["clientActivityID"] = clientActivityId ?? Guid.NewGuid().ToString("N") },
        };
        if (text is not null)
        {
            activity["text"] = text;
        }

        if (value is not null)
        {
            activity["value"] = value;
        }

        var response = await PostRawAsync(activity.ToJsonString());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>Activities after the last watermark (advances it).</summary>
    public async Task<IReadOnlyList<JsonObject>> GetActivitiesAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v3/directline/conversations/{ConversationId}/activities?watermark={Watermark}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Watermark = body["watermark"]!.GetValue<string>();
        return body["activities"]!.AsArray().Select(a => a!.AsObject()).ToList();
    }

    /// <summary>Bot messages after the watermark.</summary>
    public async Task<IReadOnlyList<JsonObject>> GetBotMessagesAsync() =>
        (await GetActivitiesAsync()).Where(a => a["from"]?["role"]?.GetValue<string>() == "bot").ToList();

    /// <summary>Sends text and returns the bot's replies (the POST waits for the turn).</summary>
    public async Task<string> AskAsync(string text)
    {
        await SendAsync(text);
        var replies = await GetBotMessagesAsync();
        return string.Join("\n---\n", replies.Select(r => r["text"]?.GetValue<string>()));
    }

    /// <summary>The next activity set pushed on a Direct Line stream (keep-alives skipped); throws when none comes within <paramref name="timeout"/>.</summary>
    public static async Task<List<JsonObject>> ReceiveActivitiesAsync(System.Net.WebSockets.ClientWebSocket ws, TimeSpan timeout) =>
        (await ReceiveSetAsync(ws, timeout)).Activities;

    /// <summary>The next activity set on the stream (keep-alives skipped) with its watermark; a close frame fails the test.</summary>
    public static async Task<(List<JsonObject> Activities, string Watermark)> ReceiveSetAsync(System.Net.WebSockets.ClientWebSocket ws, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var ms = new MemoryStream();
            System.Net.WebSockets.WebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer, cts.Token);
                ms.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            result.MessageType.Should().NotBe(System.Net.WebSockets.WebSocketMessageType.Close, "the stream is still open here");
            if (ms.Length == 0)
            {
                continue; // keep-alive
            }

            var set = JsonNode.Parse(ms.ToArray())!;
            set["watermark"].Should().NotBeNull();
            return (set["activities"]!.AsArray().Select(a => a!.AsObject()).ToList(), set["watermark"]!.GetValue<string>());
        }
    }
}
