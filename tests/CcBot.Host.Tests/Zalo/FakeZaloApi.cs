using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CcBot.Host.Tests.Zalo;

/// <summary>A message the fake OA API accepted.</summary>
public sealed record ZaloSent(string UserId, string Text, IReadOnlyList<(string Title, string Type, string Payload)> Buttons, string AccessToken);

/// <summary>
/// The Zalo OA Open API (v3 customer-service messages) and OAuth v4 token renewal on 127.0.0.1, as far as CcBot uses
/// them: access tokens are checked, a refresh token works once, errors come with HTTP 200 and a code, as Zalo's do.
/// </summary>
public sealed class FakeZaloApi : IAsyncDisposable
{
    public const string AppSecret = "app-secret-for-tests";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<ZaloSent> _sent = [];
    private readonly Queue<int> _sendErrors = new();
    private readonly HashSet<string> _usedRefreshTokens = [];
    private string _accessToken;
    private string _refreshToken;
    private int _tokenCounter;

    private FakeZaloApi(WebApplication app, string accessToken, string refreshToken)
    {
        _app = app;
        _accessToken = accessToken;
        _refreshToken = refreshToken;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>How long each token renewal takes to answer (to widen the window two instances race in).</summary>
    public TimeSpan RefreshDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    public int Renewals { get; private set; }

    /// <summary>Users who do not follow the OA: sends to them answer -213.</summary>
    public HashSet<string> NotFollowing { get; } = [];

    /// <summary>Accepted sends per user.</summary>
    public IReadOnlyDictionary<string, int> Delivered
    {
        get
        {
            lock (_lock) return _sent.GroupBy(s => s.UserId).ToDictionary(g => g.Key, g => g.Count());
        }
    }

    /// <summary>When false, sends are counted but their texts not kept (large broadcasts).</summary>
    public bool Record { get; set; } = true;

    public int RefusedRefreshes { get; private set; }

    public string CurrentAccessToken { get { lock (_lock) return _accessToken; } }

    public IReadOnlyList<ZaloSent> Sent { get { lock (_lock) return [.. _sent]; } }

    public IReadOnlyList<ZaloSent> SentTo(string userId) => Sent.Where(s => s.UserId == userId).ToList();

    public static async Task<FakeZaloApi> StartAsync(string accessToken = "access-0", string refreshToken = "refresh-0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeZaloApi(app, accessToken, refreshToken);
        app.MapPost("/v3.0/oa/message/cs", fake.SendAsync);
        app.MapPost("/v4/oa/access_token", fake.RefreshAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>The next sends answer these Zalo error codes, one each, in order.</summary>
    public void FailNextSends(params int[] errors)
    {
        lock (_lock)
        {
            foreach (var e in errors) _sendErrors.Enqueue(e);
        }
    }

    /// <summary>The current access token stops working (as after 25 hours), answering -216 until renewed.</summary>
    public void ExpireAccessToken()
    {
        lock (_lock) _accessToken = "expired-" + Guid.NewGuid().ToString("N");
    }

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        var token = request.Headers["access_token"].ToString();
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        lock (_lock)
        {
            if (token != _accessToken)
            {
                return Results.Json(new { error = -216, message = "Access token is invalid" });
            }

            if (_sendErrors.TryDequeue(out var error))
            {
                return Results.Json(new { error, message = $"injected error {error}" });
            }

            var userId = body?["recipient"]?["user_id"]?.GetValue<string>();
            var text = body?["message"]?["text"]?.GetValue<string>();
            if (userId is not null && NotFollowing.Contains(userId))
            {
                return Results.Json(new { error = -213, message = "User has not followed OA" });
            }

            if (string.IsNullOrEmpty(userId) || text is null || text.Length > 2000)
            {
                return Results.Json(new { error = -201, message = "Parameters are invalid" });
            }

            var buttons = (body!["message"]!["attachment"]?["payload"]?["buttons"] as JsonArray ?? [])
                .Select(b => (b!["title"]!.GetValue<string>(), b["type"]!.GetValue<string>(), b["payload"] is JsonObject o ? o["url"]!.GetValue<string>() : b["payload"]!.GetValue<string>()))
                .ToList();
            if (buttons.Count > 5)
            {
                return Results.Json(new { error = -201, message = "Too many buttons" });
            }

            _sent.Add(new ZaloSent(userId, Record ? text : "", Record ? buttons : [], token));
            return Results.Json(new { error = 0, message = "Success", data = new { message_id = $"msg-{_sent.Count}", user_id = userId } });
        }
    }

    private async Task<IResult> RefreshAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        await Task.Delay(RefreshDelay);
        lock (_lock)
        {
            var refresh = form["refresh_token"].ToString();
            if (request.Headers["secret_key"].ToString() != AppSecret || form["grant_type"] != "refresh_token" || string.IsNullOrEmpty(form["app_id"]))
            {
                RefusedRefreshes++;
                return Results.Json(new { error = -14002, error_name = "Invalid app", error_description = "secret_key or app_id is invalid" });
            }

            if (refresh != _refreshToken || !_usedRefreshTokens.Add(refresh))
            {
                RefusedRefreshes++;
                return Results.Json(new { error = -14014, error_name = "Invalid refresh token", error_description = "Refresh token is invalid or used" });
            }

            Renewals++;
            _tokenCounter++;
            _accessToken = $"access-{_tokenCounter}";
            _refreshToken = $"refresh-{_tokenCounter}";
            return Results.Json(new { access_token = _accessToken, refresh_token = _refreshToken, expires_in = "90000" });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
