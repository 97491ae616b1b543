using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.DirectLine;

/// <summary>The Direct Line 3.0 endpoint over real HTTP on loopback, as DirectLineJS uses it.</summary>
public sealed class DirectLineProtocolTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Start_greets_with_the_main_menu_as_suggested_actions()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();

        var messages = await dl.GetBotMessagesAsync();

        var welcome = messages.Should().ContainSingle().Subject;
        welcome["text"]!.GetValue<string>().Should().StartWith("Xin chào");
        welcome["from"]!["role"]!.GetValue<string>().Should().Be("bot");
        welcome["suggestedActions"]!["actions"]!.AsArray().Select(a => a!["title"]!.GetValue<string>())
            .Should().Contain(["Thể lệ", "Thời gian", "Liên hệ", "Cách nộp bài", "Thi thử", "Nhắc hạn", "Gặp cán bộ hỗ trợ"]);
    }

    [Fact]
    public async Task Join_events_conversation_updates_and_reactions_are_stored_and_never_answered_with_error_text()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        (await dl.GetBotMessagesAsync()).Should().ContainSingle("the start greets once");

        string[] bodies =
        [
            """{"type":"event","name":"webchat/join","value":{"language":"vi-VN"},"from":{"id":"x"}}""",
            """{"type":"conversationUpdate","membersAdded":[{"id":"x"}],"from":{"id":"x"}}""",
            """{"type":"event","name":"webchat/custom","value":"1","from":{"id":"x"}}""",
            """{"type":"messageReaction","reactionsAdded":[{"type":"like"}],"from":{"id":"x"}}""",
        ];
        foreach (var body in bodies)
        {
            (await dl.PostRawAsync(body)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await dl.GetBotMessagesAsync()).Should().BeEmpty("a join after the greeting is not greeted again, and no event gets a reply");
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_host.DatabasePath}");
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM transcript WHERE conversation_key = 'directline:{dl.ConversationId}' AND inbound = 1";
        ((long)(await cmd.ExecuteScalarAsync())!).Should().Be(5, "the start and the four client activities are all stored");
    }

    [Fact]
    public async Task Post_is_echoed_with_server_id_and_client_activity_id_then_answered()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        await dl.GetActivitiesAsync();

        var id = await dl.SendAsync("Hạn cuối cuộc thi Hải Dương là khi nào?", clientActivityId: "client-1");
        var activities = await dl.GetActivitiesAsync();

        var echo = activities.First();
        echo["id"]!.GetValue<string>().Should().Be(id).And.StartWith(dl.ConversationId + "|");
        echo["channelData"]!["clientActivityID"]!.GetValue<string>().Should().Be("client-1");
        echo["from"]!["id"]!.GetValue<string>().Should().Be(dl.UserId, "the server binds from.id to the token's user");
        activities.Last()["text"]!.GetValue<string>().Should().Contain("16h30 ngày 13/12/2024");
        dl.Watermark.Should().NotBeEmpty();
        (await dl.GetActivitiesAsync()).Should().BeEmpty("nothing after the watermark");
    }

    [Fact]
    public async Task Button_value_is_routed_as_a_button_press()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync("khanh-hoa-2021");
        await dl.GetActivitiesAsync();

        await dl.SendAsync("Liên hệ", value: "contact");

        var reply = (await dl.GetBotMessagesAsync()).Single()["text"]!.GetValue<string>();
        reply.Should().Contain("0914 233499").And.Contain("02583 810440").And.Contain("Theo Công văn");
    }

    [Fact]
    public async Task Same_client_activity_id_posted_twice_is_handled_once_and_gets_the_same_id()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        await dl.GetActivitiesAsync();

        var first = await dl.SendAsync("menu", clientActivityId: "same");
        var second = await dl.SendAsync("menu", clientActivityId: "same");

        second.Should().Be(first);
        var activities = await dl.GetActivitiesAsync();
        activities.Count(a => a["from"]!["role"]!.GetValue<string>() == "user").Should().Be(1);
        activities.Count(a => a["from"]!["role"]!.GetValue<string>() == "bot").Should().Be(1);
    }

    [Fact]
    public async Task Two_conversations_posting_the_same_client_activity_id_are_both_echoed_stored_and_answered()
    {
        var first = new DirectLineClient(_host.Http);
        var second = new DirectLineClient(_host.Http);
        await first.StartAsync();
        await second.StartAsync();
        await first.GetActivitiesAsync();
        await second.GetActivitiesAsync();

        // A client that numbers its own messages: both conversations send "1" as their first id.
        var firstId = await first.SendAsync("menu", clientActivityId: "1");
        var secondId = await second.SendAsync("/help", clientActivityId: "1");

        secondId.Should().NotBe(firstId).And.StartWith(second.ConversationId + "|");
        var inSecond = await second.GetActivitiesAsync();
        inSecond.Should().Contain(a => a["id"]!.GetValue<string>() == secondId && a["text"]!.GetValue<string>() == "/help", "the message is echoed in its own conversation");
        inSecond.Should().Contain(a => a["from"]!["role"]!.GetValue<string>() == "bot" && a["text"]!.GetValue<string>().Contains("Tôi có thể giúp bạn"));
        var inFirst = await first.GetActivitiesAsync();
        inFirst.Count(a => a["from"]!["role"]!.GetValue<string>() == "user").Should().Be(1);
        inFirst.Count(a => a["from"]!["role"]!.GetValue<string>() == "bot").Should().Be(1);
    }

    [Fact]
    public async Task Every_reply_names_the_message_it_answers_in_replyToId()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync("hai-duong-2024");
        var greeting = await dl.GetActivitiesAsync();
        greeting.Should().OnlyContain(a => a["replyToId"] == null, "the greeting answers no message the client sent");

        var asked = new List<string>();
        foreach (var text in new[] { "menu", "Hạn cuối là khi nào?", "/help" })
        {
            asked.Add(await dl.SendAsync(text));
        }

        var activities = await dl.GetActivitiesAsync();
        var replies = activities.Where(a => a["from"]!["role"]!.GetValue<string>() == "bot").ToList();
        replies.Should().HaveCountGreaterThanOrEqualTo(3);
        replies.Should().OnlyContain(a => a["replyToId"] != null && asked.Contains(a["replyToId"]!.GetValue<string>()));
        replies.Select(a => a["replyToId"]!.GetValue<string>()).Distinct().Should().Equal(asked, "each message is answered, in order");
    }

    [Fact]
    public async Task WebSocket_stream_replays_after_the_watermark_and_pushes_new_replies()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(dl.StreamUrl), CancellationToken.None);
        var greeting = await ReceiveActivitiesAsync(ws);
        greeting.Should().Contain(a => a["text"]!.GetValue<string>().StartsWith("Xin chào", StringComparison.Ordinal));

        await dl.SendAsync("/help");
        var pushed = new List<JsonObject>();
        while (!pushed.Any(a => a["from"]!["role"]!.GetValue<string>() == "bot"))
        {
            pushed.AddRange(await ReceiveActivitiesAsync(ws));
        }

        pushed.First()["text"]!.GetValue<string>().Should().Be("/help", "the user's own message is echoed first");
        pushed.Last()["text"]!.GetValue<string>().Should().Contain("Tôi có thể giúp bạn");

        await ws.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, true, CancellationToken.None); // client keep-alive is ignored
        ws.State.Should().Be(WebSocketState.Open);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task A_stream_catching_up_on_more_than_a_page_sends_every_activity_once_in_order()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        await dl.GetActivitiesAsync(); // the welcome is stored
        const int Backlog = 1_100; // over two pages of 500
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_host.DatabasePath};Pooling=False"))
        {
            conn.Open();
            using var tx = conn.BeginTransaction();
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, created_at, status)
                VALUES ($key, 0, $id, 'directline', $user, 'Message', $text, '2024-12-01T00:00:00Z', 'sent')
                """;
            cmd.Parameters.AddWithValue("$key", "directline:" + dl.ConversationId);
            cmd.Parameters.AddWithValue("$user", dl.UserId);
            var id = cmd.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
            var text = cmd.Parameters.Add("$text", Microsoft.Data.Sqlite.SqliteType.Text);
            for (var i = 0; i < Backlog; i++)
            {
                id.Value = $"backlog-{i}";
                text.Value = $"Thông báo {i}";
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(dl.StreamUrl), CancellationToken.None);
        var received = new List<JsonObject>();
        while (received.Count(a => a["text"]?.GetValue<string>().StartsWith("Thông báo ", StringComparison.Ordinal) == true) < Backlog)
        {
            received.AddRange(await ReceiveActivitiesAsync(ws));
        }

        var backlog = received.Select(a => a["text"]?.GetValue<string>()).Where(t => t?.StartsWith("Thông báo ", StringComparison.Ordinal) == true).ToList();
        backlog.Should().Equal(Enumerable.Range(0, Backlog).Select(i => $"Thông báo {i}"), "every row once, in order");
        received.Select(a => a["id"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();

        await dl.SendAsync("/help");
        var pushed = new List<JsonObject>();
        while (!pushed.Any(a => a["from"]!["role"]!.GetValue<string>() == "bot"))
        {
            pushed.AddRange(await ReceiveActivitiesAsync(ws));
        }

        pushed.Last()["text"]!.GetValue<string>().Should().Contain("Tôi có thể giúp bạn", "the stream still wakes on new rows after the catch-up");
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Reconnect_and_token_refresh_keep_the_conversation()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();

        using var reconnect = new HttpRequestMessage(HttpMethod.Get, $"v3/directline/conversations/{dl.ConversationId}?watermark=");
        reconnect.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dl.Token);
        var r = await _host.Http.SendAsync(reconnect);
        r.StatusCode.Should().Be(HttpStatusCode.OK);
        (await r.Content.ReadFromJsonAsync<JsonObject>())!["streamUrl"]!.GetValue<string>().Should().StartWith("ws://");

        using var refresh = new HttpRequestMessage(HttpMethod.Post, "v3/directline/tokens/refresh");
        refresh.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dl.Token);
        var body = (await (await _host.Http.SendAsync(refresh)).Content.ReadFromJsonAsync<JsonObject>())!;
        body["conversationId"]!.GetValue<string>().Should().Be(dl.ConversationId);
        body["expires_in"]!.GetValue<int>().Should().BeGreaterThan(15 * 60);

        using var again = new HttpRequestMessage(HttpMethod.Post, "v3/directline/conversations");
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dl.Token);
        (await _host.Http.SendAsync(again)).StatusCode.Should().Be(HttpStatusCode.OK, "the token's conversation already exists");
    }

    [Fact]
    public async Task Missing_bad_and_foreign_tokens_are_refused()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        var other = new DirectLineClient(_host.Http);
        await other.StartAsync();
        const string message = """{"type":"message","text":"hi"}""";

        (await dl.PostRawAsync(message, token: "")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await dl.PostRawAsync(message, token: "not-a-token")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var tampered = dl.Token[..^2] + (dl.Token[^2] == 'A' ? "BB" : "AA");
        (await dl.PostRawAsync(message, token: tampered)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await dl.PostRawAsync(message, token: other.Token)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a token opens only its own conversation");
    }

    [Fact]
    public async Task Unknown_conversation_is_404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v3/directline/conversations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "x.y.z");
        (await _host.Http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_host.DatabasePath}");
        await conn.OpenAsync();
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "DELETE FROM directline_conversations WHERE conversation_id = $id";
            cmd.Parameters.AddWithValue("$id", dl.ConversationId);
            await cmd.ExecuteNonQueryAsync();
        }

        var response = await dl.PostRawAsync("""{"type":"message","text":"hi"}""");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var get = new HttpRequestMessage(HttpMethod.Get, $"v3/directline/conversations/{dl.ConversationId}/activities");
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dl.Token);
        (await _host.Http.SendAsync(get)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{not json", "Malformed JSON")]
    [InlineData("", "empty")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"text":"no type"}""", "no 'type'")]
    [InlineData("""{"type":"holographicCall"}""", "not supported")]
    public async Task Malformed_bodies_get_400_with_a_json_error(string body, string reason)
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();

        var response = await dl.PostRawAsync(body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        error["code"]!.GetValue<string>().Should().Be("BadArgument");
        error["message"]!.GetValue<string>().Should().Contain(reason);
    }

    [Fact]
    public async Task Oversized_activity_is_413()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        var huge = new JsonObject { ["type"] = "message", ["text"] = new string('a', 300_000) }.ToJsonString();

        (await dl.PostRawAsync(huge)).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task The_limit_counts_characters_so_a_long_vietnamese_text_under_it_is_accepted()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        // 200,000 characters of "ệ" are 600,000 bytes of UTF-8: over 256 K bytes, under 256 K characters.
        var longText = $$"""{"type":"message","from":{"id":"{{dl.UserId}}"},"text":"{{new string('ệ', 200_000)}}"}""";
        var withBom = "\uFEFF" + new JsonObject { ["type"] = "message", ["from"] = new JsonObject { ["id"] = dl.UserId }, ["text"] = "hạn nộp bài" }.ToJsonString();

        (await dl.PostRawAsync(longText)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await dl.PostRawAsync(withBom)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Upload_stores_the_file_and_the_bot_answers()
    {
        var dl = new DirectLineClient(_host.Http);
        await dl.StartAsync();
        await dl.GetActivitiesAsync();
        using var form = new MultipartFormDataContent();
        var activity = new StringContent("""{"type":"message","from":{"id":"x"},"attachments":[{"contentType":"text/plain","name":"bai-du-thi.txt"}]}""", Encoding.UTF8);
        activity.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.microsoft.activity");
        form.Add(activity, "activity", "blob");
        form.Add(new ByteArrayContent("Sáng kiến một cửa"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } }, "file", "bai-du-thi.txt");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v3/directline/conversations/{dl.ConversationId}/upload?userId={dl.UserId}") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dl.Token);

        var response = await _host.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var activities = await dl.GetActivitiesAsync();
        activities.Last()["text"]!.GetValue<string>().Should().Contain("tệp");
        Directory.GetFiles(Path.Combine(_host.DataFolder, "uploads")).Should().Contain(f => f.EndsWith(".json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cors_preflight_allows_web_chat_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "v3/directline/conversations");
        request.Headers.Add("Origin", "https://cong-thong-tin.example.vn");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-ms-bot-agent");

        var response = await _host.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Headers").Single().ToLowerInvariant().Should().Contain("x-ms-bot-agent");
    }

    [Fact]
    public async Task Health_reports_the_database()
    {
        var response = await _host.Http.GetAsync("healthz");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("ok");
    }

    private static Task<List<JsonObject>> ReceiveActivitiesAsync(ClientWebSocket ws) => DirectLineClient.ReceiveActivitiesAsync(ws, TimeSpan.FromSeconds(20));
}
