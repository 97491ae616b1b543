using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CcBot.Core.Storage;

/// <summary>
/// The embedded SQLite database: WAL mode, pooled read connections, and a single writer that folds
/// concurrent writes into one transaction (group commit) so every message is durably stored without
/// paying an fsync per message. When one write of a batch throws, the batch is rolled back and each write
/// is replayed in its own transaction, so a failing write does not undo the others.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly int _maxBatch;
    private readonly string _synchronous;
    private Task? _writerLoop;
    private readonly object _startLock = new();

    /// <summary>Prepared statements of the writer connection, reused across writes (touched only by the writer thread).</summary>
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private SqliteConnection? _writerConnection;
    private long _batches;
    private long _writes;
    private long _busyTicks;

    /// <summary>Group-commit statistics: transactions, writes folded into them, and time the writer spent working.</summary>
    public (long Batches, long Writes, TimeSpan Busy) WriterStats =>
        (Interlocked.Read(ref _batches), Interlocked.Read(ref _writes), TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks)));

    public SqliteDatabase(string connectionString, ILogger<SqliteDatabase> logger, int maxBatch = 256, string synchronous = "FULL")
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, ForeignKeys = true, DefaultTimeout = 30 };
        _createConnectionString = builder.ToString();
        // Only Initialize creates the file. Any later open of a database file that has gone (deleted, moved, a volume not
        // mounted) fails instead of silently starting an empty database beside the real one.
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        ConnectionString = builder.ToString();
        FilePath = builder.DataSource;
        _logger = logger;
        _maxBatch = Math.Max(1, maxBatch);
        _synchronous = synchronous.Equals("NORMAL", StringComparison.OrdinalIgnoreCase) ? "NORMAL" : "FULL";
    }

    private readonly string _createConnectionString;

    /// <summary>For opening the database once it exists (<see cref="Initialize"/> creates it): never creates the file.</summary>
    public string ConnectionString { get; }

    public string FilePath { get; }

    /// <summary>Creates the folder, switches to WAL and applies pending migrations. Safe to call from several processes.</summary>
    public void Initialize(IEnumerable<Migration> migrations)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(FilePath));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var conn = OpenWriterConnection(create: true);
        Exec(conn, "PRAGMA journal_mode=WAL;");
        using var tx = conn.BeginTransaction(System.Data.IsolationLevel.Serializable);
        Exec(conn, "CREATE TABLE IF NOT EXISTS schema_migrations(id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);", tx);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = conn.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT id FROM schema_migrations";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                applied.Add(r.GetString(0));
            }
        }

        foreach (var m in migrations.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            if (applied.Contains(m.Id))
            {
                continue;
            }

            _logger.LogInformation("Applying migration {Id}", m.Id);
            Exec(conn, m.Sql, tx);
            using var ins = conn.CreateCommand();
            ins.Transaction = tx;
            ins.CommandText = "INSERT INTO schema_migrations(id, applied_at) VALUES ($id, $at)";
            ins.Parameters.AddWithValue("$id", m.Id);
            ins.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
            ins.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <summary>A pooled connection for reads (WAL lets readers run beside the writer); busy timeout and foreign keys come from the connection string.</summary>
    public SqliteConnection OpenConnection()
    {
        var conn = new SqliteConnection(ConnectionString);
        conn.Open();
        return conn;
    }

    private readonly System.Collections.Concurrent.ConcurrentBag<PooledReader> _readers = [];

    /// <summary>
    /// A read connection with prepared statements kept between uses (return it by disposing). For hot-path
    /// reads; <see cref="OpenConnection"/> is fine elsewhere.
    /// </summary>
    public PooledReader RentReader() => _readers.TryTake(out var reader) ? reader : new PooledReader(this, OpenConnection());

    public sealed class PooledReader(SqliteDatabase owner, SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteConnection Connection => connection;

        /// <summary>The prepared command for <paramref name="sql"/> with its parameters cleared; do not dispose it.</summary>
        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var cmd))
            {
                cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                _commands[sql] = cmd;
            }

            cmd.Parameters.Clear();
            return cmd;
        }

        public void Dispose()
        {
            if (owner._readers.Count < 16)
            {
                owner._readers.Add(this);
                return;
            }

            foreach (var cmd in _commands.Values)
            {
                cmd.Dispose();
            }

            connection.Dispose();
        }
    }

    /// <summary>A connection that writes, with the configured durability; <paramref name="create"/> only for <see cref="Initialize"/>.</summary>
    private SqliteConnection OpenWriterConnection(bool create = false)
    {
        var conn = new SqliteConnection(create ? _createConnectionString : ConnectionString);
        conn.Open();
        Exec(conn, $"PRAGMA synchronous={_synchronous};");
        return conn;
    }

    /// <summary>Queues a write; completes once the transaction holding it has committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default)
    {
        EnsureWriter();
        var item = new WriteItem<T>(work);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        return cancellationToken.CanBeCanceled ? item.Task.WaitAsync(cancellationToken) : item.Task;
    }

    public Task WriteAsync(Action<SqliteConnection, SqliteTransaction> work, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>((c, t) =>
        {
            work(c, t);
            return true;
        }, cancellationToken);

    private void EnsureWriter()
    {
        if (_writerLoop is not null)
        {
            return;
        }

        lock (_startLock)
        {
            // Not in the first writer's flow: its span and log scopes would otherwise stay on the writer thread for good.
            using (ExecutionContext.SuppressFlow())
            {
                _writerLoop ??= Task.Factory.StartNew(WriterLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            }
        }
    }

    /// <summary>
    /// A prepared command on the writer connection for use inside a <see cref="WriteAsync{T}"/> delegate; parameters are cleared.
    /// Do not dispose it: it is kept for the next write with the same SQL.
    /// </summary>
    public SqliteCommand Prepared(SqliteConnection conn, SqliteTransaction tx, string sql)
    {
        if (!ReferenceEquals(conn, _writerConnection))
        {
            var fresh = conn.CreateCommand();
            fresh.Transaction = tx;
            fresh.CommandText = sql;
            return fresh;
        }

        if (!_writerCommands.TryGetValue(sql, out var cmd))
        {
            cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            _writerCommands[sql] = cmd;
        }

        cmd.Transaction = tx;
        cmd.Parameters.Clear();
        return cmd;
    }

    private async Task WriterLoop()
    {
        using var conn = OpenWriterConnection();
        _writerConnection = conn;
        var batch = new List<WriteItem>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (!TryCommitTogether(conn, batch))
            {
                // One write failed: its effects and the others' were rolled back. Replay each write alone so only
                // the failing one reports an error.
                foreach (var item in batch)
                {
                    TryCommitTogether(conn, [item]);
                }
            }

            Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _writes, batch.Count);
            foreach (var item in batch)
            {
                item.Complete();
            }
        }
    }

    /// <summary>Runs the writes in one transaction; false (and rolled back) when any write throws.</summary>
    private bool TryCommitTogether(SqliteConnection conn, List<WriteItem> items)
    {
        SqliteTransaction? tx = null;
        try
        {
            tx = conn.BeginTransaction();
            foreach (var item in items)
            {
                try
                {
                    item.Run(conn, tx);
                }
                catch (Exception ex) when (items.Count > 1)
                {
                    _ = ex;
                    tx.Rollback();
                    return false;
                }
                catch (Exception ex)
                {
                    item.Fail(ex);
                    tx.Rollback();
                    return true;
                }
            }

            tx.Commit();
            return true;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Group commit of {Count} writes failed", items.Count);
            foreach (var item in items)
            {
                item.Fail(ex);
            }

            return true;
        }
        finally
        {
            tx?.Dispose();
        }
    }

    internal static void Exec(SqliteConnection conn, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writerLoop is not null)
        {
            await _writerLoop.ConfigureAwait(false);
        }
    }

    private abstract class WriteItem
    {
        public abstract void Run(SqliteConnection conn, SqliteTransaction tx);

        public abstract void Fail(Exception ex);

        public abstract void Complete();
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, SqliteTransaction, T> work) : WriteItem
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _tcs.Task;

        public override void Run(SqliteConnection conn, SqliteTransaction tx)
        {
            _error = null;
            _result = work(conn, tx);
        }

        public override void Fail(Exception ex) => _error = ex;

        public override void Complete()
        {
            if (_error is not null)
            {
                _tcs.TrySetException(_error);
            }
            else
            {
                _tcs.TrySetResult(_result!);
            }
        }
    }
}
