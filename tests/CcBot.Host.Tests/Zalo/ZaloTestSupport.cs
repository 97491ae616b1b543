using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CcBot.Core.Channels.Zalo;

namespace CcBot.Host.Tests.Zalo;

/// <summary>Settings for a host on the fake Zalo API, and signed webhook events as Zalo posts them.</summary>
public static class ZaloTestSupport
{
    public const string AppId = "4312881234567890123";
    public const string OaSecretKey = "oa-secret-key-for-tests";
    public const string OaId = "2916413243123456789";

    public static Dictionary<string, string?> Settings(FakeZaloApi fake) => new()
    {
        ["Zalo:AppId"] = AppId,
        ["Zalo:OaSecretKey"] = OaSecretKey,
        ["Zalo:AppSecret"] = FakeZaloApi.AppSecret,
        ["Zalo:OaId"] = OaId,
        ["Zalo:AccessToken"] = "access-0",
        ["Zalo:RefreshToken"] = "refresh-0",
        ["Zalo:ApiBaseUrl"] = fake.BaseUrl,
        ["Zalo:OAuthBaseUrl"] = fake.BaseUrl,
    };

    public static string TextEvent(string userId, string msgId, string text, DateTimeOffset at) => new JsonObject
    {
        ["app_id"] = AppId,
        ["user_id_by_app"] = "app-" + userId,
        ["event_name"] = "user_send_text",
        ["timestamp"] = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        ["sender"] = new JsonObject { ["id"] = userId },
        ["recipient"] = new JsonObject { ["id"] = OaId },
        ["message"] = new JsonObject { ["msg_id"] = msgId, ["text"] = text },
    }.ToJsonString();

    public static HttpRequestMessage Signed(string body, string? signature = null)
    {
        var timestamp = JsonNode.Parse(body)!["timestamp"]!.GetValue<string>();
        var request = new HttpRequestMessage(HttpMethod.Post, ZaloServices.WebhookPath.TrimStart('/'))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(ZaloSignature.Header, signature ?? ZaloSignature.Compute(AppId, body, timestamp, OaSecretKey));
        return request;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string body, string? signature = null)
    {
        using var request = Signed(body, signature);
        return await http.SendAsync(request);
    }
}
