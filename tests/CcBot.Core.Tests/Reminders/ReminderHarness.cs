using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Contests;
using CcBot.Core.Outbox;
using CcBot.Core.Pipeline;
using CcBot.Core.Reminders;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Text;
using CcBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Tests.Reminders;

/// <summary>
/// Reminders, broadcasts and the outbox over a fresh database of either provider (a SQLite file or a PostgreSQL database of the
/// test server), a moved clock and fake channel senders.
/// </summary>
internal sealed class ReminderHarness : IAsyncDisposable
{
    private readonly IReadOnlyList<IChannelSender> _senders;
    private readonly OutboxOptions _outboxOptions;

    private ReminderHarness(StorageBackend backend, IEnumerable<Contest> contests, ManualClock clock, ReminderOptions? reminders, IEnumerable<IChannelSender>? senders, OutboxOptions? outbox)
    {
        Backend = backend;
        Clock = clock;
        if (backend.IsPostgres)
        {
            Postgres = new PostgresDatabase(backend.ConnectionString, NullLogger<PostgresDatabase>.Instance);
            Conversations = new PostgresConversationStore(Postgres, clock);
            Store = new PostgresReminderStore(Postgres);
            Outbox = new PostgresOutboxStore(Postgres);
            BroadcastStore = new PostgresBroadcastStore(Postgres);
        }
        else
        {
            Sqlite = new SqliteDatabase(backend.ConnectionString, NullLogger<SqliteDatabase>.Instance, 256, "NORMAL");
            Sqlite.Initialize(new CoreMigrations().Migrations.Concat(new ReminderMigrations().Migrations));
            Conversations = new SqliteConversationStore(Sqlite);
            Store = new SqliteReminderStore(Sqlite);
            Outbox = new SqliteOutboxStore(Sqlite);
            BroadcastStore = new SqliteBroadcastStore(Sqlite);
        }

        Catalog = new ContestCatalog(contests);
        Texts = YamlTextCatalog.LoadFolder(Path.Combine(Repo.Root, "dialogs"));
        Options = reminders ?? new ReminderOptions { QuietHoursStart = TimeSpan.Zero, QuietHoursEnd = TimeSpan.Zero };
        Signal = new OutboxSignal();
        Dispatcher = new ReminderDispatcher(Catalog, Store, Outbox, Signal, Texts, Microsoft.Extensions.Options.Options.Create(Options), clock, NullLogger<ReminderDispatcher>.Instance);
        _senders = [.. senders ?? []];
        _outboxOptions = outbox ?? new OutboxOptions { BaseBackoff = TimeSpan.FromSeconds(2) };
        Senders = new ChannelSenders(_senders, [new TranscriptChannel("test"), new TranscriptChannel("directline")], NullLogger<ChannelSenders>.Instance);
        Worker = NewWorker(Outbox);
        Broadcasts = new BroadcastService(BroadcastStore, Outbox, Signal, Texts, clock);
    }

    public static async Task<ReminderHarness> CreateAsync(string provider, IEnumerable<Contest> contests, ManualClock clock, ReminderOptions? reminders = null,
        IEnumerable<IChannelSender>? senders = null, OutboxOptions? outbox = null)
    {
        var backend = await StorageBackend.CreateAsync(provider);
        var h = new ReminderHarness(backend, contests, clock, reminders, senders, outbox);
        if (h.Postgres is not null)
        {
            await h.Postgres.MigrateAsync(new PostgresCoreMigrations().Migrations.Concat(new PostgresReminderMigrations().Migrations));
        }

        return h;
    }

    public StorageBackend Backend { get; }

    public ManualClock Clock { get; }

    /// <summary>Set on SQLite.</summary>
    public SqliteDatabase? Sqlite { get; }

    /// <summary>Set on PostgreSQL.</summary>
    public PostgresDatabase? Postgres { get; }

    public IConversationStore Conversations { get; }

    public ContestCatalog Catalog { get; }

    public ITextCatalog Texts { get; }

    public ReminderOptions Options { get; }

    public IReminderStore Store { get; }

    public IOutboxStore Outbox { get; }

    public IBroadcastStore BroadcastStore { get; }

    public OutboxSignal Signal { get; }

    public ReminderDispatcher Dispatcher { get; }

    public ChannelSenders Senders { get; }

    public OutboxWorker Worker { get; }

    public BroadcastService Broadcasts { get; }

    /// <summary>Another worker (as another instance would run) over <paramref name="store"/>, with the harness's senders and clock.</summary>
    public OutboxWorker NewWorker(IOutboxStore store) =>
        new(store, Senders, Conversations, [new TeamsConversationPacing(Clock)], new OutboundNotifier(), Signal,
            Microsoft.Extensions.Options.Options.Create(_outboxOptions), Clock, NullLogger<OutboxWorker>.Instance);

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
            await ExecuteAsync($"UPDATE users SET unit = '{unit.Replace("'", "''", StringComparison.Ordinal)}' WHERE channel = '{channel}' AND channel_user_id = '{reference.UserId}'");
        }

        return reference;
    }

    /// <summary>Runs a statement written in SQL both providers accept.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        if (Postgres is not null)
        {
            await using var conn = await Postgres.OpenConnectionAsync();
            await using var pg = new NpgsqlCommand(sql, conn);
            return await pg.ExecuteNonQueryAsync();
        }

        return await Sqlite!.WriteAsync((conn, tx) =>
        {
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            return cmd.ExecuteNonQuery();
        });
    }

    public long Count(string sql)
    {
        if (Postgres is not null)
        {
            using var pgConn = Postgres.DataSource.OpenConnection();
            using var pg = new NpgsqlCommand(sql, pgConn);
            return Convert.ToInt64(pg.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        using var conn = Sqlite!.OpenConnection();
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
        if (Sqlite is not null)
        {
            await Sqlite.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        await Backend.DisposeAsync();
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
