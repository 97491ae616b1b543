using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using Npgsql;

namespace CcBot.Core.Storage.Postgres;

/// <summary>
/// The conversation lock on PostgreSQL. A turn runs in a transaction on a connection of its own holding a
/// transaction-level advisory lock keyed by the conversation: released by the COMMIT that stores the turn (so the
/// next turn, on any instance, sees its state), or at once if the instance dies. The hot path is two round trips:
/// BEGIN + lock + pending activities + state in one batch, then the turn's writes + COMMIT in another.
/// Lock connections come from their own pool, so turns waiting for a conversation never starve the others.
/// </summary>
public sealed class PostgresConversationLock : IConversationLock, IAsyncDisposable
{
    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtextextended(@key, 7))";
    private readonly NpgsqlDataSource _sessions;

    public PostgresConversationLock(PostgresDatabase db, Microsoft.Extensions.Options.IOptions<PipelineOptions> options)
    {
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString)
        {
            MaxPoolSize = options.Value.MaxParallelConversations + 4,
            ApplicationName = "ccbot-turns",
        };
        _sessions = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public bool AcrossInstances => true;

    public async Task<ITurnSession> BeginAsync(InboundActivity activity, long seq, CancellationToken cancellationToken)
    {
        var conn = await _sessions.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var session = new Session(conn, activity.ConversationKey);
        try
        {
            await session.StartAsync(activity, seq, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _sessions.DisposeAsync();

    private sealed class Session(NpgsqlConnection conn, string conversationKey) : ITurnSession
    {
        private IReadOnlyList<PendingInbound> _turns = [];
        private (long Seq, TurnSnapshot Snapshot)? _prefetched;
        private bool _inTransaction;

        public IReadOnlyList<PendingInbound> Turns => _turns;

        public async Task StartAsync(InboundActivity activity, long seq, CancellationToken ct)
        {
            var batch = new NpgsqlBatch(conn);
            await using (batch.ConfigureAwait(false))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
                batch.BatchCommands.Add(Lock());
                var pending = new NpgsqlBatchCommand("""
                    SELECT seq, payload, text FROM transcript
                    WHERE conversation_key = @key AND inbound AND status = 'pending' AND seq <= @seq ORDER BY seq LIMIT 200
                    """);
                pending.Parameters.AddWithValue("key", conversationKey);
                pending.Parameters.AddWithValue("seq", seq);
                batch.BatchCommands.Add(pending);
                PostgresConversationStore.AddLoad(batch, activity);
                _inTransaction = true;
                await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await r.NextResultAsync(ct).ConfigureAwait(false); // past the lock's row
                var turns = new List<PendingInbound>();
                var own = false;
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    var s = r.GetInt64(0);
                    own |= s == seq;
                    turns.Add(s == seq ? new PendingInbound(seq, activity) : new PendingInbound(s, PipelineJson.InboundFrom(r.IsDBNull(2) ? null : r.GetString(2), r.GetString(1))));
                }

                await r.NextResultAsync(ct).ConfigureAwait(false);
                var snapshot = await PostgresConversationStore.ReadSnapshotAsync(r, activity, ct).ConfigureAwait(false);

                // Handled already (by another instance, as one of its earlier turns): then so were the ones before it.
                _turns = own ? turns : [];

                // The state read with the lock is this turn's, unless earlier turns run first and change it.
                _prefetched = own && turns.Count == 1 ? (seq, snapshot) : null;
            }
        }

        public async Task<TurnSnapshot?> LoadAsync(PendingInbound turn, CancellationToken ct)
        {
            if (_prefetched is { } p && p.Seq == turn.Seq)
            {
                _prefetched = null;
                return p.Snapshot;
            }

            // Between two turns the lock was given up for an instant: check the activity is still unhandled.
            var batch = new NpgsqlBatch(conn);
            await using (batch.ConfigureAwait(false))
            {
                var status = new NpgsqlBatchCommand("SELECT status = 'pending' FROM transcript WHERE seq = @seq");
                status.Parameters.AddWithValue("seq", turn.Seq);
                batch.BatchCommands.Add(status);
                PostgresConversationStore.AddLoad(batch, turn.Activity);
                await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var pending = await r.ReadAsync(ct).ConfigureAwait(false) && r.GetBoolean(0);
                await r.NextResultAsync(ct).ConfigureAwait(false);
                var snapshot = await PostgresConversationStore.ReadSnapshotAsync(r, turn.Activity, ct).ConfigureAwait(false);
                return pending ? snapshot : null;
            }
        }

        public async Task<IReadOnlyList<StoredOutbound>> CommitAsync(TurnCommit commit, CancellationToken ct)
        {
            var more = _turns.Count > 0 && _turns[^1].Seq != commit.InboundSeq;
            var batch = new NpgsqlBatch(conn);
            await using (batch.ConfigureAwait(false))
            {
                var ids = PostgresConversationStore.AddCommit(batch, commit);
                batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                if (more)
                {
                    // More turns to run: hold the conversation again for them.
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
                    batch.BatchCommands.Add(Lock());
                }

                IReadOnlyList<StoredOutbound> stored;
                await using (var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    stored = await PostgresConversationStore.ReadCommitAsync(r, commit, ids, ct).ConfigureAwait(false);
                }

                _inTransaction = more;
                return stored;
            }
        }

        private NpgsqlBatchCommand Lock()
        {
            var cmd = new NpgsqlBatchCommand(LockSql);
            cmd.Parameters.AddWithValue("key", conversationKey);
            return cmd;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_inTransaction)
                {
                    // Nothing committed (handled elsewhere, or a write failed): end the transaction, releasing the lock.
                    await using var end = new NpgsqlCommand("ROLLBACK", conn);
                    await end.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // A broken connection ends its session, and with it the transaction and the lock.
            }
            finally
            {
                await conn.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
