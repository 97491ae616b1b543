using JsonSerializer = System.Text.Json.JsonSerializer;
using System.Threading.Channels;
using CcBot.Core.Activities;
using LiteDB;

namespace CcBot.Bench.Storage;

/// <summary>
/// The same turn on LiteDB 5: transcript, conversations and users collections, a unique index on
/// (conversation, activity id), and the same group commit as the SQLite writer (one writer thread takes up to 256
/// queued writes into one transaction). <c>shared</c> opens the file in LiteDB's shared mode, which two processes need.
/// </summary>
internal sealed class LiteDbTurnStore : ITurnStore
{
    private const int MaxBatch = 256;

    private readonly LiteDatabase _db;
    private readonly bool _shared;
    private readonly ILiteCollection<BsonDocument> _transcript;
    private readonly ILiteCollection<BsonDocument> _conversations;
    private readonly ILiteCollection<BsonDocument> _users;
    private readonly Channel<(Action Work, TaskCompletionSource Done)> _queue = Channel.CreateUnbounded<(Action, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;

    private LiteDbTurnStore(LiteDatabase db, bool shared)
    {
        _db = db;
        _shared = shared;
        _transcript = db.GetCollection("transcript", BsonAutoId.Int64);
        _conversations = db.GetCollection("conversations");
        _users = db.GetCollection("users");
        _transcript.EnsureIndex("ux_inbound", "$.key + '|' + $.aid", unique: true);
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "litedb-writer" };
        _writer.Start();
    }

    public string Name => _shared ? "LiteDB 5.0.21 (shared mode, group commit)" : "LiteDB 5.0.21 (direct mode, group commit)";

    public static LiteDbTurnStore Open(string file, bool shared) =>
        new(new LiteDatabase(new ConnectionString { Filename = file, Connection = shared ? ConnectionType.Shared : ConnectionType.Direct }), shared);

    public async Task TurnAsync(string prefix, int conversation, int turn, CancellationToken cancellationToken)
    {
        var key = $"bench:{prefix}-c{conversation}";
        var reference = new ConversationReference("bench", $"{prefix}-c{conversation}", $"{prefix}-u{conversation}", "Người thử");
        var activityId = $"{prefix}-{conversation}-{turn}";
        var now = DateTime.UtcNow;
        var inbound = new BsonDocument
        {
            ["key"] = key, ["aid"] = activityId, ["inbound"] = true, ["channel"] = "bench", ["user"] = reference.UserId,
            ["kind"] = "Message", ["text"] = TurnStores.MessageText(conversation, turn), ["payload"] = "{}", ["at"] = now, ["status"] = "pending",
        };
        await WriteAsync(() => _transcript.Insert(inbound)).ConfigureAwait(false);

        var stored = _conversations.FindById(key);
        var user = _users.FindById($"bench|{reference.UserId}");
        var state = stored is null
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(stored["state"].AsString) ?? [];
        state["contest"] = "hai-duong-2024";
        state["turns"] = turn.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var conversationDoc = new BsonDocument
        {
            ["_id"] = key, ["channel"] = "bench", ["conv"] = reference.ConversationId, ["user"] = reference.UserId,
            ["reference"] = JsonSerializer.Serialize(reference), ["state"] = JsonSerializer.Serialize(state),
            ["created"] = stored?["created"] ?? now, ["updated"] = now,
        };
        var reply = new BsonDocument
        {
            ["key"] = key, ["aid"] = activityId + "/r0", ["inbound"] = false, ["channel"] = "bench", ["user"] = reference.UserId,
            ["kind"] = "Message", ["text"] = $"Trả lời lượt {turn}: hạn cuối là 17 giờ 00 ngày 30/9/2024 (Thông báo số 12/TB-BTC).",
            ["payload"] = "{}", ["at"] = now, ["status"] = "pending", ["replyTo"] = inbound["_id"],
        };
        await WriteAsync(() =>
        {
            inbound["status"] = "handled";
            _transcript.Update(inbound);
            _conversations.Upsert(conversationDoc);
            if (user is null) _users.Upsert(new BsonDocument { ["_id"] = $"bench|{reference.UserId}", ["name"] = reference.UserName, ["created"] = now });
            _transcript.Insert(reply);
        }).ConfigureAwait(false);
    }

    public long CountCommittedTurns()
    {
        var handled = _transcript.Find(Query.And(Query.EQ("inbound", true), Query.EQ("status", "handled"))).Select(d => d["key"].AsString + "|" + d["aid"].AsString + "/r0").ToHashSet(StringComparer.Ordinal);
        return _transcript.Find(Query.EQ("inbound", false)).Count(d => handled.Contains(d["key"].AsString + "|" + d["aid"].AsString));
    }

    public string Check()
    {
        // LiteDB has no integrity pragma: read every document of every collection and the unique index.
        var count = _transcript.Count() + _conversations.Count() + _users.Count();
        var distinct = _transcript.FindAll().Select(d => d["key"].AsString + "|" + d["aid"].AsString).Distinct().Count();
        return distinct == _transcript.Count() ? $"ok ({count} documents read)" : "unique index violated";
    }

    private Task WriteAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((work, done))) done.SetException(new ObjectDisposedException(nameof(LiteDbTurnStore)));
        return done.Task;
    }

    private void WriterLoop()
    {
        var batch = new List<(Action Work, TaskCompletionSource Done)>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
            try
            {
                _db.BeginTrans();
                foreach (var (work, _) in batch) work();
                _db.Commit();
                foreach (var (_, done) in batch) done.SetResult();
            }
            catch (Exception e)
            {
                try { _db.Rollback(); } catch (LiteException) { }
                foreach (var (_, done) in batch) done.TrySetException(e);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _writer.Join();
        _db.Dispose();
        return ValueTask.CompletedTask;
    }
}
