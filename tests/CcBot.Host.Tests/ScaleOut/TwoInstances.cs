using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;
using CcBot.Testing;
using Npgsql;

namespace CcBot.Host.Tests.ScaleOut;

/// <summary>
/// Two host processes on two loopback ports sharing one fresh PostgreSQL database, with Telegram in webhook mode
/// against a loopback fake Bot API (as behind a load balancer: any update may reach either instance).
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    public const string Secret = "s3cret_-Token";

    private TwoInstances(FakeBotApi fake, TestPostgresDatabase database, Dictionary<string, string> environment)
    {
        Fake = fake;
        Database = database;
        Environment = environment;
    }

    public FakeBotApi Fake { get; }

    public TestPostgresDatabase Database { get; }

    public Dictionary<string, string> Environment { get; }

    public HostProcess A { get; private set; } = null!;

    public HostProcess B { get; private set; } = null!;

    public HostProcess this[int i] => i % 2 == 0 ? A : B;

    public static async Task<TwoInstances> StartAsync(IDictionary<string, string>? extra = null)
    {
        var fake = await FakeBotApi.StartAsync();
        var database = await PostgresServer.CreateDatabaseAsync("two");
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = database.ConnectionString,
            ["Telegram__BotToken"] = FakeBotApi.Token,
            ["Telegram__ApiBaseUrl"] = fake.BaseUrl,
            ["Telegram__Mode"] = "webhook",
            ["Telegram__WebhookUrl"] = "https://bot.example.vn/telegram/webhook",
            ["Telegram__SecretToken"] = Secret,
            ["Telegram__PerChatInterval"] = "00:00:00",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            environment[k] = v;
        }

        var pair = new TwoInstances(fake, database, environment);
        try
        {
            // Started together: the migrations race and the advisory lock lets exactly one apply them.
            var a = HostProcess.StartHealthyAsync(environment);
            var b = HostProcess.StartHealthyAsync(environment);
            pair.A = await a;
            pair.B = await b;
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a fresh instance on the same database (e.g. after one was killed).</summary>
    public Task<HostProcess> StartAnotherAsync() => HostProcess.StartHealthyAsync(Environment);

    public static async Task<System.Net.HttpStatusCode> PostUpdateAsync(HostProcess instance, JsonObject update)
    {
        using var http = new HttpClient { BaseAddress = new Uri(instance.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = JsonContent.Create(update) };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add(r.GetValue(0).ToString() ?? "");
        }

        return list;
    }

    public string Logs => "--- A ---\n" + A?.Log + "\n--- B ---\n" + B?.Log;

    public async ValueTask DisposeAsync()
    {
        A?.Dispose();
        B?.Dispose();
        await Fake.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>Test data written straight into the shared PostgreSQL database.</summary>
public static class ScaleOutData
{
    /// <summary>Telegram private chats <paramref name="firstChat"/>.. as known conversations (as if each had sent /start).</summary>
    public static async Task InsertTelegramRecipientsAsync(string connectionString, long firstChat, int count)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var chats = Enumerable.Range(0, count).Select(i => (firstChat + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var references = chats.Select(c => System.Text.Json.JsonSerializer.Serialize(
            new CcBot.Core.Activities.ConversationReference("telegram", c, c, "Người dùng"), CcBot.Core.Pipeline.PipelineJson.Options)).ToArray();
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, created_at, updated_at)
            SELECT 'telegram:' || c, 'telegram', c, c, r, now(), now() FROM unnest(@chats, @refs) AS x(c, r);
            INSERT INTO users(channel, channel_user_id, display_name, created_at)
            SELECT 'telegram', c, 'Người dùng', now() FROM unnest(@chats) AS c;
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("chats", chats);
            cmd.Parameters.AddWithValue("refs", references);
            await cmd.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }
}
