using Microsoft.Extensions.Logging;
using Npgsql;

namespace CcBot.Core.Storage.Postgres;

/// <summary>
/// The shared PostgreSQL database for scale-out: one pooled <see cref="NpgsqlDataSource"/> per process,
/// short transactions, and migrations applied under an advisory lock so that several instances starting
/// together apply each migration exactly once.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>Advisory lock key of the migration runner (any constant shared by every instance).</summary>
    public const long MigrationLockKey = 0x63_63_62_6F_74_6D_69_67; // "ccbotmig"

    private readonly ILogger _logger;

    public PostgresDatabase(string connectionString, ILogger<PostgresDatabase> logger)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is 'postgres' (e.g. 'Host=127.0.0.1;Port=5432;Database=ccbot;Username=ccbot;Password=...').");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException("Storage:ConnectionString is not a valid PostgreSQL connection string: " + ex.Message, ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new InvalidOperationException("Storage:ConnectionString has no 'Host'.");
        }

        builder.ApplicationName ??= "ccbot";

        // The stores run a few dozen fixed statements: let Npgsql prepare them on each pooled connection (saves the
        // server's parse and plan), and skip the reset when a connection returns to the pool (the stores keep no
        // session state; advisory locks use their own pool, which keeps the reset).
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        ConnectionString = builder.ConnectionString;
        Describe = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        _logger = logger;
    }

    public string ConnectionString { get; }

    /// <summary>Host, port and database, without credentials (for logs).</summary>
    public string Describe { get; }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a READ COMMITTED transaction and commits it. Retries (up to 5 times) when
    /// PostgreSQL reports a serialization failure or deadlock, so the work must be safe to run again.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await work(conn, tx).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException ex) when (attempt < 5 && ex.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
            {
                _logger.LogDebug(ex, "Transaction retried ({Attempt}) after {State}", attempt, ex.SqlState);
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * Random.Shared.Next(1, 5)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task InTransactionAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken = default) =>
        InTransactionAsync<bool>(async (c, t) =>
        {
            await work(c, t).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Applies pending migrations, each in its own transaction, while holding a session advisory lock: a second
    /// instance starting at the same moment waits, then finds them applied. Returns the ids applied now.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(IEnumerable<Migration> migrations, CancellationToken cancellationToken = default)
    {
        var appliedNow = new List<string>();
        await using var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(conn, null, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecAsync(conn, null, "CREATE TABLE IF NOT EXISTS schema_migrations(id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var cmd = new NpgsqlCommand("SELECT id FROM schema_migrations", conn))
            await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
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

                _logger.LogInformation("Applying PostgreSQL migration {Id}", m.Id);
                await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecAsync(conn, tx, m.Sql, cancellationToken).ConfigureAwait(false);
                await using (var ins = new NpgsqlCommand("INSERT INTO schema_migrations(id) VALUES (@id)", conn, tx))
                {
                    ins.Parameters.AddWithValue("id", m.Id);
                    await ins.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                appliedNow.Add(m.Id);
            }
        }
        finally
        {
            await ExecAsync(conn, null, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
        }

        return appliedNow;
    }

    /// <summary>Ids of the migrations recorded as applied.</summary>
    public async Task<IReadOnlyList<string>> AppliedMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id FROM schema_migrations ORDER BY id", conn);
        var list = new List<string>();
        try
        {
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(r.GetString(0));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
        }

        return list;
    }

    public static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
