using Microsoft.Extensions.DependencyInjection;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Tests.Pipeline;

/// <summary>A pipeline over a real SQLite file in a temp folder, with a handler chosen by the test.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    /// <param name="options">Pipeline settings; by default 8 lanes and retries after about half a second.</param>
    public PipelineHarness(ITurnHandler handler, string? folder = null, IEnumerable<IChannelSender>? senders = null, PipelineOptions? options = null)
    {
        Folder = folder ?? Path.Combine(Path.GetTempPath(), "ccbot-core-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Database = new SqliteDatabase($"Data Source={Path.Combine(Folder, "ccbot.db")}", NullLogger<SqliteDatabase>.Instance, 256, "NORMAL");
        Database.Initialize(new CoreMigrations().Migrations);
        Store = new SqliteConversationStore(Database);
        Notifier = new OutboundNotifier();
        Senders = new ChannelSenders(senders ?? [], [new TranscriptChannel("test"), new TranscriptChannel("directline")], NullLogger<ChannelSenders>.Instance);
        Texts = YamlTextCatalog.Parse("test.yaml", "texts:\n  error.generic: Lỗi rồi\n");
        var settings = Options.Create(options ?? new PipelineOptions { MaxParallelConversations = 8, RetryBaseSeconds = 0.5, RetryMaxSeconds = 2 });
        Retries = new ReplyRetries(settings, TimeProvider.System);
        Pipeline = new TurnPipeline(Store, new InProcessConversationLock(Store), handler, Senders, Retries, Notifier, Texts, TimeProvider.System,
            settings, Metrics, NullLogger<TurnPipeline>.Instance);
    }

    public string Folder { get; }

    /// <summary>The pipeline's instruments, on a meter factory of their own (a test can listen to them).</summary>
    public Telemetry.CcBotMetrics Metrics { get; } = new(new ServiceCollection().AddMetrics()
        .BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    public SqliteDatabase Database { get; }

    public SqliteConversationStore Store { get; }

    public OutboundNotifier Notifier { get; }

    public ChannelSenders Senders { get; }

    public ITextCatalog Texts { get; }

    public TurnPipeline Pipeline { get; }

    public ReplyRetries Retries { get; }

    /// <summary>A recovery service over this harness (its store unless <paramref name="store"/>), re-sending every <paramref name="intervalSeconds"/>.</summary>
    public RecoveryService Recovery(int intervalSeconds, IConversationStore? store = null) =>
        new(store ?? Store, new InProcessConversationLock(Store), Pipeline, Senders, Retries, TimeProvider.System,
            Options.Create(new PipelineOptions { RetryIntervalSeconds = intervalSeconds }), NullLogger<RecoveryService>.Instance);

    public static InboundActivity Message(string conversation, string id, string text, string channel = "test") => new()
    {
        Channel = channel,
        Id = id,
        Kind = ActivityKind.Message,
        From = new ConversationReference(channel, conversation, "u-" + conversation, "Người dùng"),
        Text = text,
        Timestamp = DateTimeOffset.UtcNow,
    };

    public long Count(string sql)
    {
        using var conn = Database.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}

/// <summary>Echo handler that records the order it saw texts in, per conversation.</summary>
internal sealed class RecordingHandler(Func<TurnContext, Task>? extra = null) : ITurnHandler
{
    private readonly object _gate = new();

    public Dictionary<string, List<string>> Seen { get; } = [];

    public int Concurrent;

    public int MaxConcurrent;

    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref Concurrent);
        lock (_gate)
        {
            MaxConcurrent = Math.Max(MaxConcurrent, now);
            if (!Seen.TryGetValue(turn.Activity.ConversationKey, out var list))
            {
                Seen[turn.Activity.ConversationKey] = list = [];
            }

            list.Add(turn.Activity.Text ?? string.Empty);
        }

        try
        {
            if (extra is not null)
            {
                await extra(turn);
            }

            var count = int.Parse(turn.State.Values.GetValueOrDefault("count") ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
            turn.State.Values["count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            turn.Reply($"echo {turn.Activity.Text} #{count}");
        }
        finally
        {
            Interlocked.Decrement(ref Concurrent);
        }
    }
}
