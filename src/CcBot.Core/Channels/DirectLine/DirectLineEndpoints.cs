using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.DirectLine;

/// <summary>
/// A self-hosted Direct Line 3.0 service, enough for the unmodified <c>botframework-webchat</c> /
/// <c>botframework-directlinejs</c>: conversations, tokens, activities by watermark, the WebSocket stream
/// and uploads. The transcript is the activity log, so any instance on the same database can serve a conversation.
/// </summary>
public static class DirectLineEndpoints
{
    public const string CorsPolicy = "directline";

    public static IServiceCollection AddDirectLine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectLineOptions>().Bind(configuration.GetSection(DirectLineOptions.Section))
            .Validate(o => o.TokenLifetimeSeconds >= 20 * 60, "DirectLine:TokenLifetimeSeconds must be at least 1200 (Web Chat refreshes every 15 minutes).")
            .Validate(o => o.PostWaitSeconds is >= 0 and <= 60, "DirectLine:PostWaitSeconds must be between 0 and 60.")
            .Validate(o => o.AbandonedAfterHours is >= 0 and <= 24 * 365, "DirectLine:AbandonedAfterHours must be between 0 (never) and 8760.")
            .Validate(o => o.StreamLifetimeSeconds is >= 0 and <= 7 * 24 * 3600, "DirectLine:StreamLifetimeSeconds must be between 0 (never) and 604800.")
            .ValidateOnStart();
        services.AddSingleton<IMigrationSource, DirectLineMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresDirectLineMigrations>();
        services.AddStore<ISettingsStore, SqliteSettingsStore, PostgresSettingsStore>();
        services.AddSingleton<IDirectLineConversationStore, DirectLineConversationStore>();
        services.AddSingleton(new TranscriptChannel(DirectLineWire.Channel));
        services.AddSqlConnections();
        services.AddSingleton<DirectLineExpiry>();
        services.AddHostedService<DirectLineExpiryService>();
        services.AddSingleton<DirectLineTokens>();
        services.AddSingleton<DirectLineUploads>();
        services.AddCors(o => o.AddPolicy(CorsPolicy, p =>
        {
            var origins = configuration.GetSection(DirectLineOptions.Section + ":AllowedOrigins").Get<string[]>() ?? ["*"];
            if (origins.Length == 0 || origins.Contains("*"))
            {
                p.AllowAnyOrigin();
            }
            else
            {
                p.WithOrigins(origins);
            }

            p.WithHeaders("Authorization", "Content-Type", "x-ms-bot-agent", "x-requested-with").WithMethods("GET", "POST", "OPTIONS");
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapDirectLine(this IEndpointRouteBuilder app)
    {
        app.MapPost("/directline/token", IssueWebChatTokenAsync).RequireCors(CorsPolicy).RequireRateLimiting(Limits.RateLimits.Tokens);

        var dl = app.MapGroup("/v3/directline").RequireCors(CorsPolicy);
        dl.MapPost("/tokens/generate", GenerateTokenAsync).RequireRateLimiting(Limits.RateLimits.Tokens);
        dl.MapPost("/tokens/refresh", RefreshTokenAsync);
        dl.MapPost("/conversations", StartConversationAsync).RequireRateLimiting(Limits.RateLimits.Tokens);
        dl.MapGet("/conversations/{conversationId}", ReconnectAsync);
        dl.MapPost("/conversations/{conversationId}/activities", PostActivityAsync).RequireRateLimiting(Limits.RateLimits.Activities);
        dl.MapGet("/conversations/{conversationId}/activities", GetActivitiesAsync);
        dl.MapPost("/conversations/{conversationId}/upload", UploadAsync).DisableAntiforgery().RequireRateLimiting(Limits.RateLimits.Uploads);
        dl.MapGet("/conversations/{conversationId}/stream", StreamAsync);
        dl.MapGet("/attachments/{hash}", DownloadAsync);
        return app;
    }

    /// <summary>The chat page's anonymous token: a new conversation bound to a new user id; <c>?contest=</c> preselects a contest.</summary>
    private static async Task<IResult> IssueWebChatTokenAsync(HttpRequest request, DirectLineTokens tokens, IDirectLineConversationStore conversations, TimeProvider clock, CancellationToken ct)
    {
        var contest = request.Query["contest"].ToString();
        if (contest.Length > 64 || contest.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return Error(StatusCodes.Status400BadRequest, "BadArgument", "'contest' must be up to 64 letters, digits, '-' or '_'.");
        }

        return Results.Json(await CreateConversationAsync(tokens, conversations, clock, string.IsNullOrEmpty(contest) ? null : contest, null, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> GenerateTokenAsync(HttpRequest request, IOptions<DirectLineOptions> options, DirectLineTokens tokens, IDirectLineConversationStore conversations, TimeProvider clock, CancellationToken ct)
    {
        var secret = options.Value.Secret;
        if (string.IsNullOrEmpty(secret))
        {
            return Error(StatusCodes.Status404NotFound, "NotFound", "Token generation with a secret is not enabled (DirectLine:Secret).");
        }

        if (!FixedEquals(BearerOf(request), secret))
        {
            return Error(StatusCodes.Status403Forbidden, "BadArgument", "Invalid secret.");
        }

        string? userId = null;
        if (request.ContentLength > 0)
        {
            var body = await ReadJsonAsync(request, 16 * 1024, ct).ConfigureAwait(false);
            if (body.Error is not null)
            {
                return body.Error;
            }

            userId = body.Json?["user"]?["id"]?.GetValue<string>();
            if (userId is not null && !userId.StartsWith("dl_", StringComparison.Ordinal))
            {
                return Error(StatusCodes.Status400BadRequest, "BadArgument", "User ids bound to a token must start with 'dl_'.");
            }
        }

        return Results.Json(await CreateConversationAsync(tokens, conversations, clock, null, userId, ct).ConfigureAwait(false));
    }

    private static async Task<JsonObject> CreateConversationAsync(DirectLineTokens tokens, IDirectLineConversationStore conversations, TimeProvider clock, string? startPayload, string? userId, CancellationToken ct)
    {
        var conversationId = RandomId(22);
        userId ??= "dl_" + RandomId(16);
        await conversations.CreateAsync(new DirectLineConversation(conversationId, userId, startPayload, clock.GetUtcNow(), false), ct).ConfigureAwait(false);
        var token = await tokens.IssueAsync(conversationId, userId, ct).ConfigureAwait(false);
        return new JsonObject { ["conversationId"] = conversationId, ["token"] = token, ["expires_in"] = tokens.LifetimeSeconds, ["userId"] = userId };
    }

    private static async Task<IResult> RefreshTokenAsync(HttpRequest request, DirectLineTokens tokens, CancellationToken ct)
    {
        var (grant, error) = await AuthorizeAsync(request, tokens, null, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var token = await tokens.IssueAsync(grant!.ConversationId, grant.UserId, ct).ConfigureAwait(false);
        return Results.Json(new JsonObject { ["conversationId"] = grant.ConversationId, ["token"] = token, ["expires_in"] = tokens.LifetimeSeconds });
    }

    private static async Task<IResult> StartConversationAsync(HttpRequest request, DirectLineTokens tokens, IDirectLineConversationStore conversations, IInbox inbox, TimeProvider clock, IOptions<DirectLineOptions> options, CancellationToken ct)
    {
        var (grant, error) = await AuthorizeAsync(request, tokens, null, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var conversation = await conversations.GetAsync(grant!.ConversationId, ct).ConfigureAwait(false);
        if (conversation is null)
        {
            return Error(StatusCodes.Status404NotFound, "BadArgument", "Conversation not found.");
        }

        var first = await conversations.MarkStartedAsync(conversation.Id, ct).ConfigureAwait(false);
        if (first)
        {
            var start = new InboundActivity
            {
                Channel = DirectLineWire.Channel,
                Id = conversation.Id + "|start",
                Kind = ActivityKind.ConversationStarted,
                From = new ConversationReference(DirectLineWire.Channel, conversation.Id, conversation.UserId, BotId: DirectLineWire.BotId, BotName: DirectLineWire.BotName),
                Timestamp = clock.GetUtcNow(),
                Properties = conversation.StartPayload is null ? InboundActivity.EmptyProperties : new Dictionary<string, string> { ["start"] = conversation.StartPayload },
            };
            var receipt = await inbox.SubmitAsync(start, ct).ConfigureAwait(false);
            await WaitForTurnAsync(receipt, options.Value, ct).ConfigureAwait(false);
        }

        var body = new JsonObject
        {
            ["conversationId"] = conversation.Id,
            ["token"] = BearerOf(request),
            ["expires_in"] = tokens.LifetimeSeconds,
            ["streamUrl"] = StreamUrl(request, conversation.Id),
        };
        return first ? Results.Json(body, statusCode: StatusCodes.Status201Created) : Results.Json(body);
    }

    private static async Task<IResult> ReconnectAsync(string conversationId, HttpRequest request, DirectLineTokens tokens, IDirectLineConversationStore conversations, CancellationToken ct)
    {
        var (_, _, error) = await AuthorizeConversationAsync(request, tokens, conversations, conversationId, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var watermark = request.Query["watermark"].ToString();
        return Results.Json(new JsonObject
        {
            ["conversationId"] = conversationId,
            ["token"] = BearerOf(request),
            ["expires_in"] = tokens.LifetimeSeconds,
            ["streamUrl"] = StreamUrl(request, conversationId, watermark),
        });
    }

    private static async Task<IResult> PostActivityAsync(
        string conversationId,
        HttpRequest request,
        DirectLineTokens tokens,
        IDirectLineConversationStore conversations,
        IInbox inbox,
        TimeProvider clock,
        IOptions<DirectLineOptions> options,
        CancellationToken ct)
    {
        var (grant, _, error) = await AuthorizeConversationAsync(request, tokens, conversations, conversationId, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var body = await ReadJsonAsync(request, options.Value.MaxActivityChars, ct).ConfigureAwait(false);
        if (body.Error is not null)
        {
            return body.Error;
        }

        return await SubmitAsync(body.Json!, grant!, inbox, clock, options.Value, null, ct).ConfigureAwait(false);
    }

    internal static async Task<IResult> SubmitAsync(JsonObject json, DirectLineGrant grant, IInbox inbox, TimeProvider clock, DirectLineOptions options, IReadOnlyList<ActivityAttachment>? uploaded, CancellationToken ct)
    {
        var (activity, problem) = DirectLineWire.FromWire(json, grant, clock.GetUtcNow(), uploaded);
        if (activity is null)
        {
            return Error(StatusCodes.Status400BadRequest, "BadArgument", problem!);
        }

        if (json["type"]?.GetValue<string>() == "typing")
        {
            return Results.Json(new JsonObject { ["id"] = grant.ConversationId + "|typing" });
        }

        var receipt = await inbox.SubmitAsync(activity, ct).ConfigureAwait(false);
        await WaitForTurnAsync(receipt, options, ct).ConfigureAwait(false);
        return Results.Json(new JsonObject { ["id"] = DirectLineWire.WireId(grant.ConversationId, receipt.Seq) });
    }

    private static async Task<IResult> GetActivitiesAsync(string conversationId, HttpRequest request, DirectLineTokens tokens, IDirectLineConversationStore conversations, IConversationStore store, CancellationToken ct)
    {
        var (_, conversation, error) = await AuthorizeConversationAsync(request, tokens, conversations, conversationId, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        if (!TryParseWatermark(request.Query["watermark"].ToString(), out var after))
        {
            return Error(StatusCodes.Status400BadRequest, "BadArgument", "'watermark' must be a number returned by this service.");
        }

        var (activities, watermark, _) = await ReadAfterAsync(store, conversation!, after, ct).ConfigureAwait(false);
        return Results.Json(new JsonObject { ["activities"] = activities, ["watermark"] = watermark.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>Waits (bounded) for the bot's turn, so a client polling right after the POST sees the reply; the activity is stored either way.</summary>
    private static async Task WaitForTurnAsync(InboxReceipt receipt, DirectLineOptions options, CancellationToken ct)
    {
        if (receipt.Duplicate || options.PostWaitSeconds <= 0)
        {
            return;
        }

        try
        {
            await receipt.Handled.WaitAsync(TimeSpan.FromSeconds(options.PostWaitSeconds), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Stored and scheduled: the reply arrives later over the stream.
        }
    }

    private const int PageSize = 500;

    /// <summary>The activities after the watermark (one page), the new watermark, and whether the page was full.</summary>
    internal static async Task<(JsonArray Activities, long Watermark, bool Full)> ReadAfterAsync(IConversationStore store, DirectLineConversation conversation, long after, CancellationToken ct)
    {
        var rows = await store.ReadTranscriptAsync(DirectLineWire.ConversationKey(conversation.Id), after, PageSize, ct).ConfigureAwait(false);
        var activities = new JsonArray();
        var watermark = after;
        foreach (var row in rows)
        {
            watermark = row.Seq;
            if (DirectLineWire.ToWire(row, conversation.Id, conversation.UserId) is { } wire)
            {
                activities.Add(wire);
            }
        }

        return (activities, watermark, rows.Count == PageSize);
    }

    private static async Task StreamAsync(string conversationId, HttpContext context, DirectLineTokens tokens, IDirectLineConversationStore conversations, IConversationStore store, OutboundNotifier notifier, IOptions<DirectLineOptions> options, TimeProvider clock, ILoggerFactory loggers)
    {
        var ct = context.RequestAborted;
        var token = context.Request.Query["t"].ToString();
        var (check, grant) = await tokens.ValidateAsync(token, ct).ConfigureAwait(false);
        if (check != TokenCheck.Valid || grant!.ConversationId != conversationId)
        {
            context.Response.StatusCode = check == TokenCheck.Missing ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            return;
        }

        var conversation = await conversations.GetAsync(conversationId, ct).ConfigureAwait(false);
        if (conversation is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!TryParseWatermark(context.Request.Query["watermark"].ToString(), out var after))
        {
            after = 0;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var lifetime = options.Value.StreamLifetimeSeconds > 0 ? TimeSpan.FromSeconds(options.Value.StreamLifetimeSeconds) : Timeout.InfiniteTimeSpan;
        await new DirectLineStream(socket, conversation, store, notifier, loggers.CreateLogger("DirectLine.Stream")).RunAsync(after, lifetime, clock, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> UploadAsync(
        string conversationId,
        HttpRequest request,
        DirectLineTokens tokens,
        IDirectLineConversationStore conversations,
        DirectLineUploads uploads,
        IInbox inbox,
        TimeProvider clock,
        IOptions<DirectLineOptions> options,
        CancellationToken ct)
    {
        var (grant, _, error) = await AuthorizeConversationAsync(request, tokens, conversations, conversationId, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        if (request.ContentLength > options.Value.MaxUploadBytes)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, "MessageSizeTooBig", $"Uploads are limited to {options.Value.MaxUploadBytes / (1024 * 1024)} MB.");
        }

        var result = await uploads.ReadAsync(request, grant!, ct).ConfigureAwait(false);
        if (result.Error is not null)
        {
            return Error(StatusCodes.Status400BadRequest, "BadArgument", result.Error);
        }

        return await SubmitAsync(result.Activity!, grant!, inbox, clock, options.Value, result.Attachments, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> DownloadAsync(string hash, HttpRequest request, DirectLineUploads uploads, CancellationToken ct)
    {
        var file = await uploads.OpenAsync(hash, request.Query["sig"].ToString(), request.Query["exp"].ToString(), ct).ConfigureAwait(false);
        return file is null ? Error(StatusCodes.Status404NotFound, "NotFound", "No such file, or the link expired.") : Results.File(file.Value.Path, file.Value.ContentType, file.Value.Name);
    }

    private static async Task<(DirectLineGrant? Grant, IResult? Error)> AuthorizeAsync(HttpRequest request, DirectLineTokens tokens, string? conversationId, CancellationToken ct)
    {
        var (check, grant) = await tokens.ValidateAsync(BearerOf(request), ct).ConfigureAwait(false);
        return check switch
        {
            TokenCheck.Missing => (null, Error(StatusCodes.Status401Unauthorized, "BadArgument", "Missing 'Authorization: Bearer <token>'.")),
            TokenCheck.Expired => (null, Error(StatusCodes.Status403Forbidden, "TokenExpired", "Token expired.")),
            TokenCheck.Invalid => (null, Error(StatusCodes.Status403Forbidden, "BadArgument", "Invalid token.")),
            _ when conversationId is not null && grant!.ConversationId != conversationId =>
                (null, Error(StatusCodes.Status403Forbidden, "BadArgument", "The token is not valid for this conversation.")),
            _ => (grant, null),
        };
    }

    /// <summary>The token must be valid for <paramref name="conversationId"/>, and the conversation must exist (404 otherwise).</summary>
    private static async Task<(DirectLineGrant? Grant, DirectLineConversation? Conversation, IResult? Error)> AuthorizeConversationAsync(
        HttpRequest request, DirectLineTokens tokens, IDirectLineConversationStore conversations, string conversationId, CancellationToken ct)
    {
        var (grant, error) = await AuthorizeAsync(request, tokens, conversationId, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return (null, null, error);
        }

        var conversation = await conversations.GetAsync(conversationId, ct).ConfigureAwait(false);
        return conversation is null
            ? (null, null, Error(StatusCodes.Status404NotFound, "BadArgument", "Conversation not found."))
            : (grant, conversation, null);
    }

    internal static async Task<(JsonObject? Json, IResult? Error)> ReadJsonAsync(HttpRequest request, int maxChars, CancellationToken ct)
    {
        var bytes = await RequestBody.ReadCharsAsync(request, maxChars, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            return (null, Error(StatusCodes.Status413PayloadTooLarge, "MessageSizeTooBig", $"Activities are limited to {maxChars} characters."));
        }

        if (bytes.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "BadArgument", "The request body is empty; expected a JSON activity."));
        }

        try
        {
            return JsonNode.Parse(bytes.AsSpan(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0)) is JsonObject o
                ? (o, null)
                : (null, Error(StatusCodes.Status400BadRequest, "BadArgument", "The request body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "BadArgument", "Malformed JSON: " + ex.Message));
        }
    }

    internal static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    private static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static bool TryParseWatermark(string text, out long value)
    {
        value = 0;
        return string.IsNullOrEmpty(text) || (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= 0);
    }

    private static string StreamUrl(HttpRequest request, string conversationId, string? watermark = null)
    {
        var scheme = request.IsHttps ? "wss" : "ws";
        var token = Uri.EscapeDataString(BearerOf(request) ?? string.Empty);
        var wm = string.IsNullOrEmpty(watermark) ? string.Empty : "&watermark=" + Uri.EscapeDataString(watermark);
        return $"{scheme}://{request.Host}{request.PathBase}/v3/directline/conversations/{Uri.EscapeDataString(conversationId)}/stream?t={token}{wm}";
    }

    private static bool FixedEquals(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string RandomId(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, 0, (span, _) =>
        {
            Span<byte> bytes = stackalloc byte[span.Length];
            RandomNumberGenerator.Fill(bytes);
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[bytes[i] % alphabet.Length];
            }
        });
    }
}

/// <summary>One WebSocket: replays what is after the watermark, then pushes new transcript rows as they are stored.</summary>
internal sealed class DirectLineStream(WebSocket socket, DirectLineConversation conversation, IConversationStore store, OutboundNotifier notifier, ILogger logger)
{
    private readonly SemaphoreSlim _signal = new(0);

    public async Task RunAsync(long after, TimeSpan lifetime, TimeProvider clock, CancellationToken requestAborted)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        using var expiry = new CancellationTokenSource(lifetime, clock);
        using var expired = expiry.Token.Register(() => _signal.Release());
        using var subscription = notifier.Subscribe(DirectLineWire.ConversationKey(conversation.Id), () => _signal.Release());
        var receive = ReceiveLoopAsync(cts);
        var watermark = after;
        try
        {
            while (!cts.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                if (expiry.IsCancellationRequested)
                {
                    // Its time is up: a normal close, after which the client reconnects from the last watermark it was sent.
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stream lifetime", cts.Token).ConfigureAwait(false);
                    await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(5), clock, cts.Token)).ConfigureAwait(false); // the client's close
                    break;
                }

                // A signal given before this read is answered by it (rows are committed before the signal): drop those, so one
                // burst of signals costs one read. A signal during the read stays and wakes the next one.
                while (_signal.Wait(0))
                {
                }

                var (activities, next, full) = await DirectLineEndpoints.ReadAfterAsync(store, conversation, watermark, cts.Token).ConfigureAwait(false);
                if (next != watermark)
                {
                    watermark = next;
                    if (activities.Count > 0)
                    {
                        var frame = new JsonObject { ["activities"] = activities, ["watermark"] = watermark.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, cts.Token).ConfigureAwait(false);
                    }

                    if (full)
                    {
                        continue; // a full page: more rows are waiting
                    }
                }

                // Wake on a new row, or every 15 s for a keep-alive (an empty frame the client ignores) and
                // to notice rows another instance wrote.
                if (!await _signal.WaitAsync(TimeSpan.FromSeconds(15), cts.Token).ConfigureAwait(false))
                {
                    await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, true, cts.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            logger.LogDebug("Stream for {Conversation} closed: {Reason}", conversation.Id, ex.Message);
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await receive.ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync(CancellationTokenSource cts)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cts.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
                    break;
                }

                // Client keep-alives ("") and anything else sent up the stream are ignored.
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }
    }
}
