using CcBot.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CcBot.Host.Tests.Telegram;

internal static class TelegramTestSupport
{
    public static Dictionary<string, string?> Settings(FakeBotApi fake, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = FakeBotApi.Token,
            ["Telegram:ApiBaseUrl"] = fake.BaseUrl,
            ["Telegram:PollTimeoutSeconds"] = "1",
            ["Telegram:GlobalRatePerSecond"] = "1000",
            ["Telegram:PerChatInterval"] = "00:00:00",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return settings;
    }

    public static Task<TestHost> StartAsync(FakeBotApi fake, string? dataFolder = null, IDictionary<string, string?>? extra = null) =>
        TestHost.StartAsync(Settings(fake, extra), dataFolder);

    public static object? Scalar(string databasePath, string sql, params (string Name, object Value)[] args)
    {
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        var result = cmd.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    /// <summary>
    /// Waits until every stored activity has had its turn and every reply its send (no transcript row pending): after
    /// this, "nothing more was sent" is a fact, not a guess that a sleep was long enough.
    /// </summary>
    public static Task WaitUntilSettledAsync(TestHost host) =>
        FakeBotApi.WaitUntilAsync(() => Count(host.DatabasePath, "SELECT COUNT(*) FROM transcript WHERE status = 'pending'") == 0,
            because: "every stored update handled and every reply sent");

    public static long Count(string databasePath, string sql, params (string Name, object Value)[] args) =>
        Convert.ToInt64(Scalar(databasePath, sql, args) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
}
