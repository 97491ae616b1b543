using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Contests;
using CcBot.Core.Outbox;
using CcBot.Core.Pipeline;
using CcBot.Core.Reminders;
using CcBot.Core.Storage;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Tests.Reminders;

/// <summary>Reminders, broadcasts and the outbox over a real SQLite file, a moved clock and fake channel senders.</summary>
internal sealed class ReminderHarness : IAsyncDisposable
{
    public ReminderHarness(IEnumerable<Contest> contests, ManualClock clock, ReminderOptions? reminders = null, IEnumerable<IChannelSender>? senders = null, OutboxOptions? outbox = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "ccbot-core-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Clock = clock;
        Database = new SqliteDatabase($"Data Source={Path.Combine(Folder, "ccbot.db")}", NullLogger<SqliteDatabase>.Instance, 256, "NORMAL");
        Database.Initialize(new CoreMigrations().Migrations.Concat(new ReminderMigrations().Migrations));
        Conversations = new SqliteConversationStore(Database);
        Catalog = new ContestCatalog(contests);
        Texts = YamlTextCatalog.LoadFolder(Path.Combine(Repo.Root, "dialogs"));
        Options = reminders ?? new ReminderOptions { QuietHoursStart = TimeSpan.Zero, QuietHoursEnd = TimeSpan.Zero };
        Store = new SqliteReminderStore(Database);
        Outbox = new SqliteOutboxStore(Database);
        Signal = new OutboxSignal();
        Dispatcher = new ReminderDispatcher(Catalog, Store, Outbox, Signal, Texts, Microsoft.Extensions.Options.Options.Create(Options), clock, NullLogger<ReminderDispatcher>.Instance);
        Senders = new ChannelSenders(senders ?? [], NullLogger<ChannelSenders>.Instance);
        Worker = new OutboxWorker(Outbox, Senders, Conversations, [new TeamsConversationPacing(clock)], new OutboundNotifier(), Signal,
            Microsoft.Extensions.Options.Options.Create(outbox ?? new OutboxOptions { BaseBackoff = TimeSpan.FromSeconds(2) }), clock, NullLogger<OutboxWorker>.Instance);
        Broadcasts = new BroadcastService(new SqliteBroadcastStore(Database), Outbox, Signal, Texts, clock);
    }

    public string Folder { get; }

    public ManualClock Clock { get; }

    public SqliteDatabase Database { get; }

    public SqliteConversationStore Conversations { get; }

    public ContestCatalog Catalog { get; }

    public ITextCatalog Texts { get; }

    public ReminderOptions Options { get; }

    public SqliteReminderStore Store { get; }

    public SqliteOutboxStore Outbox { get; }

    public OutboxSignal Signal { get; }

    public ReminderDispatcher Dispatcher { get; }

    public ChannelSenders Senders { get; }

    public OutboxWorker Worker { get; }

    public BroadcastService Broadcasts { get; }

    /// <summary>Adds a conversation (as the pipeline would on the first message) and returns its reference.</summary>
    public async Task<ConversationReference> AddConversationAsync(string channel, string id, string? unit = null)
    {
        var reference = new ConversationReference(channel, id, "u" + id, "Người dùng " + id);
        var activity = new InboundActivity
        {
            Channel = channel, Id = "in-" + id, Kind = ActivityKind.Message, From = reference, Text = "xin chào", Timestamp = Clock.GetUtcNow(),
        };
        var accepted = await Conversations.AcceptInboundAsync(activity, CancellationToken.None);
        var before = await Conversations.LoadAsync(activity, CancellationToken.None);
        await Conversations.CommitTurnAsync(
            new TurnCommit(accepted.Seq, activity, before, before.State, before.User, [], [], Clock.GetUtcNow()), CancellationToken.None);
        if (unit is not null)
        {
            await Database.WriteAsync((conn, tx) =>
            {
                using var cmd = conn.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "UPDATE users SET unit = $u WHERE channel = $c AND channel_user_id = $id";
                cmd.Parameters.AddWithValue("$u", unit);
                cmd.Parameters.AddWithValue("$c", channel);
                cmd.Parameters.AddWithValue("$id", reference.UserId);
                cmd.ExecuteNonQuery();
            });
        }

        return reference;
    }

    public long Count(string sql)
    {
        using var conn = Database.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Runs the outbox until nothing is due at the current clock.</summary>
    public async Task<int> DrainAsync()
    {
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            var n = await Worker.RunOnceAsync(CancellationToken.None);
            if (n == 0)
            {
                return total;
            }

            total += n;
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A contest with an opening, one deadline and a closing, in Vietnam time.</summary>
    public static Contest MakeContest(string id, DateTimeOffset opens, DateTimeOffset deadline, DateTimeOffset closes) => new()
    {
        Id = id,
        Title = "Cuộc thi thử " + id,
        ShortName = "Cuộc thi " + id,
        Kind = ContestKind.OnlineQuiz,
        Places = ["Hải Dương"],
        Year = opens.Year,
        SourceDocuments = [new SourceDocument("notice", "Công văn", "1587/CV-BTC", null, new PartialDate(2024, 11, 14), "Ban Tổ chức", "Về việc phát động cuộc thi", null, true)],
        Milestones =
        [
            M("opens", "Mở đường link thi", MilestoneKind.Opens, opens),
            M("nop-bai", "Hạn nộp bài", MilestoneKind.Deadline, deadline),
            M("closes", "Kết thúc Cuộc thi", MilestoneKind.Closes, closes),
        ],
    };

    private static Milestone M(string id, string label, MilestoneKind kind, DateTimeOffset at)
    {
        var local = at.ToOffset(TimeSpan.FromHours(7));
        return new Milestone(id, label, kind, DateOnly.FromDateTime(local.DateTime), TimeOnly.FromDateTime(local.DateTime), false, null, "notice");
    }
}

/// <summary>A channel sender that records what it sent and can be told to fail.</summary>
internal sealed class FakeSender(string channel) : IChannelSender
{
    private readonly object _lock = new();

    public string Channel => channel;

    public List<(string Conversation, string Text, DateTimeOffset At)> Sent { get; } = [];

    /// <summary>Next outcomes to return instead of sending (per conversation id), consumed in order.</summary>
    public Dictionary<string, Queue<SendOutcome>> Scripted { get; } = new(StringComparer.Ordinal);

    public TimeProvider? Clock { get; set; }

    public Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Scripted.TryGetValue(to.ConversationId, out var q) && q.Count > 0)
            {
                return Task.FromResult(q.Dequeue());
            }

            Sent.Add((to.ConversationId, message.Message.Text, Clock?.GetUtcNow() ?? DateTimeOffset.UtcNow));
            return Task.FromResult(SendOutcome.Ok("m" + Sent.Count));
        }
    }

    public int CountTo(string conversation)
    {
        lock (_lock)
        {
            return Sent.Count(s => s.Conversation == conversation);
        }
    }
}
