using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CcBot.Host.Tests.BotFramework;

/// <summary>Builders for Teams-shaped activities and helpers for a host wired to a <see cref="FakeConnector"/>.</summary>
internal static class Teams
{
    public const string AppId = "0b5c7a1e-3f4d-4e2a-9c8b-1a2b3c4d5e6f";
    public const string BotId = "28:" + AppId;
    public const string UserId = "29:1aBcDeFgUser";
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string PersonalConversation = "a:1XyZ-personal:chat;v=1";
    public const string ChannelConversation = "19:abc123@thread.tacv2;messageid=1700000000000";

    public static Dictionary<string, string?> Settings(FakeConnector fake, bool auth = true) => auth
        ? new()
        {
            ["BotFramework:AppId"] = AppId,
            ["BotFramework:AppPassword"] = "s3cret",
            ["BotFramework:OpenIdMetadataUrl"] = fake.OpenIdMetadataUrl,
            ["BotFramework:EmulatorOpenIdMetadataUrl"] = fake.EmulatorOpenIdMetadataUrl,
            ["BotFramework:TokenEndpoint"] = fake.TokenEndpoint,
            ["BotFramework:AllowPrivateServiceUrls"] = "true", // the fake Connector listens on 127.0.0.1
        }
        : new()
        {
            ["BotFramework:OpenIdMetadataUrl"] = fake.OpenIdMetadataUrl,
            ["BotFramework:TokenEndpoint"] = fake.TokenEndpoint,
            ["BotFramework:EmulatorWithoutAuthentication"] = "true",
        };

    public static JsonObject Activity(
        FakeConnector fake,
        string type,
        string? text = null,
        JsonNode? value = null,
        string conversationId = PersonalConversation,
        string conversationType = "personal",
        string channelId = "msteams",
        string? serviceUrl = null)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = "f:" + Guid.NewGuid().ToString("N"),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["serviceUrl"] = serviceUrl ?? fake.ServiceUrl,
            ["channelId"] = channelId,
            ["from"] = new JsonObject { ["id"] = UserId, ["name"] = "Nguyễn Văn An", ["aadObjectId"] = "6f1c2d3e-0000-4000-8000-000000000001" },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "CcBot" },
            ["conversation"] = new JsonObject
            {
                ["id"] = conversationId,
                ["conversationType"] = conversationType,
                ["tenantId"] = TenantId,
                ["isGroup"] = conversationType != "personal",
            },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
            ["locale"] = "vi-VN",
        };
        if (text is not null)
        {
            activity["text"] = text;
            activity["textFormat"] = "plain";
        }

        if (value is not null)
        {
            activity["value"] = value;
        }

        if (type == "conversationUpdate")
        {
            activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId }, new JsonObject { ["id"] = UserId });
        }

        return activity;
    }

    public static async Task<HttpResponseMessage> PostAsync(TestHost host, JsonObject activity, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await host.Http.SendAsync(request);
    }

    public static string? Text(ConnectorCall call) => call.Body["text"]?.GetValue<string>();

    /// <summary>Waits for a connector call matching <paramref name="match"/>.</summary>
    public static async Task<ConnectorCall> WaitForAsync(FakeConnector fake, Func<ConnectorCall, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = fake.Calls.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No matching connector call. Calls: " + string.Join(" | ", fake.Calls.Select(c => c.RawTarget + " " + Text(c))));
            }

            await Task.Delay(25);
        }
    }

    public static T Scalar<T>(TestHost host, string sql, params (string Name, object Value)[] args)
    {
        using var conn = new SqliteConnection($"Data Source={host.DatabasePath};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        var result = cmd.ExecuteScalar();
        return result is null or DBNull ? default! : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string ActivitiesPath(string serviceUrlPath, string conversationId) =>
        serviceUrlPath + "v3/conversations/" + Uri.EscapeDataString(conversationId) + "/activities";
}
