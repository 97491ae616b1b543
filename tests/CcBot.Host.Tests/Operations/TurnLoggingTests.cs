using System.Collections.Concurrent;
using CcBot.Core.Pipeline;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CcBot.Host.Tests.Operations;

/// <summary>Every log line of a turn carries the activity and the (hashed) conversation; no message text is logged.</summary>
public sealed class TurnLoggingTests
{
    private sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);

    /// <summary>Records every entry with the values of the scopes around it, as a JSON console formatter with IncludeScopes would.</summary>
    private sealed class Recorder : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(Recorder owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
                owner._scopes.ForEachScope((s, d) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (k, v) in pairs)
                        {
                            d[k] = v;
                        }
                    }
                }, scope);
                owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), scope));
            }
        }
    }

    [Fact]
    public async Task Turn_lines_carry_activity_and_hashed_conversation_and_no_text_at_information()
    {
        var recorder = new Recorder();
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:CcBot.Core.Pipeline"] = "Debug" },
            configure: b => b.Logging.AddProvider(recorder));
        var chat = new DirectLineClient(host.Http);
        await chat.StartAsync();
        var id = await chat.SendAsync("Số điện thoại ban tổ chức Khánh Hòa là gì?", clientActivityId: "client-42");
        await chat.GetBotMessagesAsync();

        var committed = recorder.Entries.Where(e => e.Message.StartsWith("Turn ", StringComparison.Ordinal) && e.Scope.GetValueOrDefault("ActivityId") as string == "client-42").ToList();
        committed.Should().ContainSingle();
        var scope = committed[0].Scope;
        scope["Channel"].Should().Be("directline");
        scope["Conversation"].Should().Be(TurnLogScope.Hash("directline:" + chat.ConversationId)).And.NotBe(chat.ConversationId);
        recorder.Entries.Where(e => e.Level >= LogLevel.Information).Should().NotContain(e =>
            e.Message.Contains("Khánh Hòa là gì", StringComparison.Ordinal) || e.Message.Contains(chat.UserId, StringComparison.Ordinal),
            "no message text or user id at Information level");
        id.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Telegram_requests_never_write_the_bot_token_to_the_log()
    {
        // The token is part of every Bot API address (/bot<token>/sendMessage); HttpClient's own request logging wrote
        // that address at Information, the level the README's host logs at.
        await using var fake = await Telegram.FakeBotApi.StartAsync();
        var recorder = new Recorder();
        var settings = Telegram.TelegramTestSupport.Settings(fake, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" });
        await using var host = await TestHost.StartAsync(settings, configure: b => b.Logging.AddProvider(recorder));
        fake.Enqueue(Telegram.FakeBotApi.TextMessage(4242, "/help"));
        await Telegram.FakeBotApi.WaitUntilAsync(() => fake.SentTo(4242).Count > 0, because: "the bot answers");

        recorder.Entries.Should().Contain(e => e.Category.StartsWith("CcBot", StringComparison.Ordinal) && e.Level == LogLevel.Information, "Information is logged");
        recorder.Entries.Should().NotContain(e => e.Message.Contains(Telegram.FakeBotApi.Token, StringComparison.Ordinal), "the bot token is a secret");
    }
}
