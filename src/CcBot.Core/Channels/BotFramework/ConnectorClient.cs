using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>What the Connector answered: status, the new activity id, the error code, and any Retry-After.</summary>
public sealed record ConnectorResponse(int StatusCode, string? ActivityId, string? ErrorCode, string? ErrorMessage, TimeSpan? RetryAfter)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>Typed client for the Bot Connector REST API (protocols.md B4). One call, no retries: the sender decides.</summary>
public sealed class ConnectorClient(HttpClient http, TimeProvider clock)
{
    /// <summary><c>POST {serviceUrl}/v3/conversations/{conversationId}/activities</c>.</summary>
    public Task<ConnectorResponse> SendToConversationAsync(string serviceUrl, string conversationId, JsonObject activity, string? token, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ActivitiesUri(serviceUrl, conversationId, null), activity, token, cancellationToken);

    /// <summary><c>PUT {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}</c>.</summary>
    public Task<ConnectorResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, string? token, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, ActivitiesUri(serviceUrl, conversationId, activityId), activity, token, cancellationToken);

    /// <summary>The activities URL: base joined with exactly one '/', path segments escaped (Teams ids hold ':' and ';').</summary>
    public static Uri ActivitiesUri(string serviceUrl, string conversationId, string? activityId)
    {
        var url = serviceUrl.TrimEnd('/') + "/v3/conversations/" + Uri.EscapeDataString(conversationId) + "/activities";
        if (activityId is not null)
        {
            url += "/" + Uri.EscapeDataString(activityId);
        }

        return new Uri(url, UriKind.Absolute);
    }

    private async Task<ConnectorResponse> SendAsync(HttpMethod method, Uri uri, JsonObject activity, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri)
        {
            Content = new StringContent(BotFrameworkWire.Serialize(activity), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? id = null, code = null, message = null;
        if (body.Length > 0)
        {
            try
            {
                var json = JsonNode.Parse(body);
                id = Str(json?["id"]);
                code = Str(json?["error"]?["code"]);
                message = Str(json?["error"]?["message"]);
            }
            catch (JsonException)
            {
                message = body.Length > 300 ? body[..300] : body;
            }
        }

        return new ConnectorResponse((int)response.StatusCode, id, code, message, RetryAfter(response.Headers.RetryAfter));
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
