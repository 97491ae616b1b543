using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CcBot.Host.Tests.Telegram;

/// <summary>One Bot API call the fake received.</summary>
public sealed record FakeCall(string Method, JsonObject Body, DateTimeOffset At)
{
    public long ChatId => Body["chat_id"]?.GetValue<long>() ?? 0;

    public string Text => Body["text"]?.GetValue<string>() ?? "";

    /// <summary>callback_data / url of every inline button, row by row.</summary>
    public IReadOnlyList<JsonObject> Buttons =>
        Body["reply_markup"]?["inline_keyboard"]?.AsArray().SelectMany(r => r!.AsArray()).Select(b => b!.AsObject()).ToList() ?? [];
}

/// <summary>
/// A loopback Telegram Bot API: <c>POST /bot{token}/{method}</c> for getMe, getUpdates (queued updates, offset and
/// long-poll timeout honoured), setWebhook, deleteWebhook, sendMessage, editMessageText, answerCallbackQuery,
/// setMyCommands. Records every call; can inject 429 (retry_after), 403 per chat, 400 migrate_to_chat_id, 401 for getMe.
/// </summary>
public sealed class FakeBotApi : IAsyncDisposable
{
    public const string Token = "123:abc";
    public const long BotId = 999;
    public const string BotUsername = "CcTestBot";

    private readonly object _lock = new();
    private readonly List<JsonObject> _updates = [];
    private readonly List<FakeCall> _calls = [];
    private readonly Dictionary<string, Queue<int>> _throttle = new(StringComparer.Ordinal);
    private TaskCompletionSource _updatesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _confirmed;
    private long _nextMessageId = 1000;
    private long _nextUpdateId = 1;
    private readonly WebApplication _app;

    private FakeBotApi(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>While true, getUpdates offsets are not remembered (as if the confirmation never reached Telegram).</summary>
    public bool DropConfirmations { get; set; }

    /// <summary>getMe (and everything else) answers 401.</summary>
    public bool RejectToken { get; set; }

    public HashSet<long> BlockedChats { get; } = [];

    public Dictionary<long, long> MigratedChats { get; } = [];

    /// <summary>editMessageText on these message ids answers 400 "message is not modified".</summary>
    public HashSet<long> UnmodifiedMessages { get; } = [];

    /// <summary>Called when getUpdates serves an update (benchmark latency).</summary>
    public Action<JsonObject, DateTimeOffset>? OnServed { get; set; }

    /// <summary>Called for each successful sendMessage (benchmark latency).</summary>
    public Action<FakeCall>? OnSent { get; set; }

    /// <summary>Keep call bodies (off in the benchmark to save memory).</summary>
    public bool Record { get; set; } = true;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, int> _delivered = new();
    private TaskCompletionSource? _hold;
    private readonly object _rateLock = new();
    private double _rateTokens;
    private DateTimeOffset _rateAt;
    private long _provoked429;

    /// <summary>sendMessage calls accepted (200) per chat: what a user would see. Kept even when <see cref="Record"/> is off.</summary>
    public IReadOnlyDictionary<long, int> Delivered => _delivered;

    public int DeliveredTotal => _delivered.Values.Sum();

    /// <summary>
    /// Enforce Telegram's bulk limit like the server does: a token bucket of <see cref="EnforcedBurst"/> tokens refilled at this many per second;
    /// a sendMessage over it answers 429 retry_after 1 (counted in <see cref="Provoked429"/>). 0: off.
    /// </summary>
    public double EnforcedRatePerSecond { get; set; }

    public double EnforcedBurst { get; set; }

    /// <summary>429s answered because <see cref="EnforcedRatePerSecond"/> was exceeded.</summary>
    public long Provoked429 => Interlocked.Read(ref _provoked429);

    /// <summary>
    /// Holds every sendMessage before it is accepted (nothing recorded or delivered) until <see cref="Release"/>; a held request whose
    /// client went away meanwhile (a killed process) is dropped, as Telegram drops a request that never completed.
    /// </summary>
    public void Hold()
    {
        lock (_lock)
        {
            _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        TaskCompletionSource? hold;
        lock (_lock)
        {
            hold = _hold;
            _hold = null;
        }

        hold?.TrySetResult();
    }

    /// <summary>Files served by getFile and <c>GET /file/bot{token}/{file_path}</c>, by file_id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (string Path, byte[] Content)> Files { get; } = new(StringComparer.Ordinal);

    private IResult DownloadFile(string token, string path)
    {
        if (token != Token)
        {
            return Results.StatusCode(401);
        }

        var file = Files.Values.FirstOrDefault(f => f.Path == path);
        return file.Content is null ? Results.NotFound() : Results.Bytes(file.Content, "application/octet-stream");
    }

    /// <summary>A private message carrying a document (as Telegram sends a file), with an optional caption.</summary>
    public static JsonObject DocumentMessage(long chatId, string fileId, string fileName, string mimeType, long size, string? caption = null)
    {
        var message = new JsonObject
        {
            ["message_id"] = 1,
            ["from"] = User(chatId),
            ["chat"] = PrivateChat(chatId),
            ["date"] = 1_700_000_000,
            ["document"] = new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["file_name"] = fileName, ["mime_type"] = mimeType, ["file_size"] = size },
        };
        if (caption is not null)
        {
            message["caption"] = caption;
        }

        return new JsonObject { ["message"] = message };
    }

    public static async Task<FakeBotApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeBotApi(app);
        app.MapPost("/bot{token}/{method}", fake.HandleAsync);
        app.MapGet("/file/bot{token}/{**path}", fake.DownloadFile);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = address;
        return fake;
    }

    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<FakeCall> CallsTo(string method) => Calls.Where(c => c.Method == method).ToList();

    public IReadOnlyList<FakeCall> SentTo(long chatId) => Calls.Where(c => c.Method == "sendMessage" && c.ChatId == chatId).ToList();

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> answer 429 with retry_after.</summary>
    public void Throttle(string method, int retryAfterSeconds, int times = 1)
    {
        lock (_lock)
        {
            if (!_throttle.TryGetValue(method, out var q))
            {
                _throttle[method] = q = new Queue<int>();
            }

            for (var i = 0; i < times; i++)
            {
                q.Enqueue(retryAfterSeconds);
            }
        }
    }

    /// <summary>Queues an update; update_id is assigned when missing. Returns the update_id.</summary>
    public long Enqueue(JsonObject update)
    {
        lock (_lock)
        {
            if (update["update_id"] is null)
            {
                update["update_id"] = _nextUpdateId;
            }

            var id = IdOf(update);
            _nextUpdateId = Math.Max(_nextUpdateId, id + 1);
            _updates.Add(update);
            var signal = _updatesChanged;
            _updatesChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal.TrySetResult();
            return id;
        }
    }

    public void EnqueueMany(IEnumerable<JsonObject> updates)
    {
        foreach (var u in updates)
        {
            Enqueue(u);
        }
    }

    public long ConfirmedOffset
    {
        get
        {
            lock (_lock)
            {
                return _confirmed;
            }
        }
    }

    public static JsonObject User(long id, string first = "Lan", string? last = "Nguyễn") =>
        new() { ["id"] = id, ["is_bot"] = false, ["first_name"] = first, ["last_name"] = last };

    public static JsonObject PrivateChat(long id) => new() { ["id"] = id, ["type"] = "private", ["first_name"] = "Lan" };

    public static JsonObject TextMessage(long chatId, string text, long? userId = null, string chatType = "private", long messageId = 1)
    {
        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = User(userId ?? chatId),
            ["chat"] = chatType == "private" ? PrivateChat(chatId) : new JsonObject { ["id"] = chatId, ["type"] = chatType, ["title"] = "Nhóm CCHC" },
            ["date"] = 1_700_000_000,
            ["text"] = text,
        };
        if (text.StartsWith('/'))
        {
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = end < 0 ? text.Length : end });
        }

        return new JsonObject { ["message"] = message };
    }

    public static JsonObject Callback(long chatId, string data, long botMessageId, string queryId = "q1") => new()
    {
        ["callback_query"] = new JsonObject
        {
            ["id"] = queryId,
            ["from"] = User(chatId),
            ["message"] = new JsonObject
            {
                ["message_id"] = botMessageId,
                ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "CcBot", ["username"] = BotUsername },
                ["chat"] = PrivateChat(chatId),
                ["date"] = 1_700_000_000,
                ["text"] = "menu",
            },
            ["chat_instance"] = "ci",
            ["data"] = data,
        },
    };

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="seconds"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, double seconds = 15, string? because = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), seconds, because, 25);

    /// <summary>Polls an asynchronous condition (e.g. a database query) every <paramref name="pollMs"/> ms.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, double seconds = 15, string? because = null, int pollMs = 100)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met in time" + (because is null ? "" : ": " + because));
            }

            await Task.Delay(pollMs);
        }
    }

    private async Task<IResult> HandleAsync(string token, string method, HttpRequest request)
    {
        Task? held;
        lock (_lock)
        {
            held = method == "sendMessage" ? _hold?.Task : null;
        }

        if (held is not null)
        {
            await held;
            if (request.HttpContext.RequestAborted.IsCancellationRequested)
            {
                return Results.StatusCode(499);
            }
        }

        var now = DateTimeOffset.UtcNow;
        JsonObject body;
        try
        {
            body = (await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted))?.AsObject() ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            body = [];
        }

        lock (_lock)
        {
            if (Record || method != "sendMessage")
            {
                _calls.Add(new FakeCall(method, body, now));
            }
        }

        if (token != Token || RejectToken)
        {
            return Error(401, "Unauthorized");
        }

        lock (_lock)
        {
            if (_throttle.TryGetValue(method, out var q) && q.Count > 0)
            {
                var after = q.Dequeue();
                return Error(429, $"Too Many Requests: retry after {after}", new JsonObject { ["retry_after"] = after });
            }
        }

        if (method == "sendMessage" && EnforcedRatePerSecond > 0 && !TakeRateToken(now))
        {
            Interlocked.Increment(ref _provoked429);
            return Error(429, "Too Many Requests: retry after 1", new JsonObject { ["retry_after"] = 1 });
        }

        switch (method)
        {
            case "getMe":
                return Ok(new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "CcBot", ["username"] = BotUsername });
            case "setMyCommands":
            case "setWebhook":
            case "deleteWebhook":
            case "answerCallbackQuery":
                return Ok(true);
            case "getUpdates":
                return Ok(await GetUpdatesAsync(body, request.HttpContext.RequestAborted));
            case "getFile":
                var fileId = body["file_id"]?.GetValue<string>() ?? "";
                return Files.TryGetValue(fileId, out var file)
                    ? Ok(new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["file_size"] = file.Content.Length, ["file_path"] = file.Path })
                    : Error(400, "Bad Request: invalid file_id");
            case "sendMessage":
            case "editMessageText":
                var chatId = body["chat_id"]?.GetValue<long>() ?? 0;
                if (BlockedChats.Contains(chatId))
                {
                    return Error(403, "Forbidden: bot was blocked by the user");
                }

                if (MigratedChats.TryGetValue(chatId, out var newId))
                {
                    return Error(400, "Bad Request: group chat was upgraded to a supergroup chat", new JsonObject { ["migrate_to_chat_id"] = newId });
                }

                if (method == "editMessageText" && UnmodifiedMessages.Contains(body["message_id"]!.GetValue<long>()))
                {
                    return Error(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same");
                }

                var text = body["text"]?.GetValue<string>() ?? "";
                if (text.Length is 0 or > 4096)
                {
                    return Error(400, "Bad Request: message text is empty or too long");
                }

                var messageId = method == "editMessageText" ? body["message_id"]!.GetValue<long>() : Interlocked.Increment(ref _nextMessageId);
                if (method == "sendMessage")
                {
                    _delivered.AddOrUpdate(chatId, 1, (_, n) => n + 1);
                }

                OnSent?.Invoke(new FakeCall(method, body, now));
                return Ok(new JsonObject
                {
                    ["message_id"] = messageId,
                    ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = chatId < 0 ? "supergroup" : "private" },
                    ["date"] = now.ToUnixTimeSeconds(),
                    ["text"] = text,
                });
            default:
                return Error(404, "Not Found: method not found");
        }
    }

    private async Task<JsonNode> GetUpdatesAsync(JsonObject body, CancellationToken aborted)
    {
        var offset = body["offset"]?.GetValue<long>();
        var timeout = body["timeout"]?.GetValue<int>() ?? 0;
        var limit = body["limit"]?.GetValue<int>() ?? 100;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (offset is { } o && !DropConfirmations)
                {
                    _confirmed = Math.Max(_confirmed, o);
                    _updates.RemoveAll(u => IdOf(u) < _confirmed);
                }

                var from = Math.Max(offset ?? 0, _confirmed);
                var batch = _updates.Where(u => IdOf(u) >= from).Take(limit).ToList();
                if (batch.Count > 0)
                {
                    var now = DateTimeOffset.UtcNow;
                    var array = new JsonArray();
                    foreach (var u in batch)
                    {
                        OnServed?.Invoke(u, now);
                        array.Add(u.DeepClone());
                    }

                    return array;
                }

                changed = _updatesChanged.Task;
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return new JsonArray();
            }

            try
            {
                await changed.WaitAsync(left, aborted);
            }
            catch (TimeoutException)
            {
                return new JsonArray();
            }
        }
    }

    private bool TakeRateToken(DateTimeOffset now)
    {
        lock (_rateLock)
        {
            var burst = EnforcedBurst > 0 ? EnforcedBurst : EnforcedRatePerSecond;
            if (_rateAt == default)
            {
                _rateAt = now;
                _rateTokens = burst;
            }

            _rateTokens = Math.Min(burst, _rateTokens + (now - _rateAt).TotalSeconds * EnforcedRatePerSecond);
            _rateAt = now;
            if (_rateTokens < 1)
            {
                return false;
            }

            _rateTokens -= 1;
            return true;
        }
    }

    public static long IdOf(JsonObject update) => long.Parse(update["update_id"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static IResult Ok(JsonNode result) => Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });

    private static IResult Error(int code, string description, JsonObject? parameters = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (parameters is not null)
        {
            body["parameters"] = parameters;
        }

        return Results.Json(body, statusCode: code);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
