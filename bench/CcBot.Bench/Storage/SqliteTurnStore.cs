using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CcBot.Bench.Storage;

/// <summary>The SQLite conversation store exactly as the host runs it: WAL, synchronous=FULL, the group-commit writer.</summary>
internal sealed class SqliteTurnStore : ITurnStore
{
    private readonly SqliteDatabase _db;
    private readonly SqliteConversationStore _store;

    private SqliteTurnStore(SqliteDatabase db)
    {
        _db = db;
        _store = new SqliteConversationStore(db);
    }

    public string Name => "SQLite (SqliteConversationStore, WAL, synchronous=FULL, group-commit writer)";

    public static SqliteTurnStore Open(string file)
    {
        var db = new SqliteDatabase($"Data Source={file}", NullLogger<SqliteDatabase>.Instance, maxBatch: 256, synchronous: "FULL");
        db.Initialize(new CoreMigrations().Migrations);
        return new SqliteTurnStore(db);
    }

    public async Task TurnAsync(string prefix, int conversation, int turn, CancellationToken cancellationToken)
    {
        var reference = new ConversationReference("bench", $"{prefix}-c{conversation}", $"{prefix}-u{conversation}", "Người thử");
        var activity = new InboundActivity
        {
            Channel = "bench",
            Id = $"{prefix}-{conversation}-{turn}",
            Kind = ActivityKind.Message,
            From = reference,
            Text = TurnStores.MessageText(conversation, turn),
            Timestamp = DateTimeOffset.UtcNow,
        };
        var accepted = await _store.AcceptInboundAsync(activity, cancellationToken).ConfigureAwait(false);
        var before = await _store.LoadAsync(activity, cancellationToken).ConfigureAwait(false);
        var state = before.State;
        state.ContestId = "hai-duong-2024";
        state.Values["turns"] = turn.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reply = new OutboundMessage { Text = $"Trả lời lượt {turn}: hạn cuối là 17 giờ 00 ngày 30/9/2024 (Thông báo số 12/TB-BTC)." };
        var commit = new TurnCommit(accepted.Seq, activity, before, state, before.User, [reply], [], DateTimeOffset.UtcNow);
        await _store.CommitTurnAsync(commit, cancellationToken).ConfigureAwait(false);
    }

    public long CountCommittedTurns()
    {
        using var conn = _db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM transcript i WHERE i.inbound = 1 AND i.status = 'handled' AND EXISTS (SELECT 1 FROM transcript o WHERE o.inbound = 0 AND o.activity_id = i.activity_id || '/r0')";
        return (long)cmd.ExecuteScalar()!;
    }

    public string Check()
    {
        using var conn = _db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        return (string)cmd.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
    }
}
