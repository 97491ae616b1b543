using CcBot.Core.Pipeline;
using Npgsql;

namespace CcBot.Core.Storage.Postgres;

/// <summary>
/// The conversation lock on PostgreSQL: a session advisory lock keyed by the conversation, held on a connection
/// of its own for the length of the turn (released at once if the instance dies, as the session ends). Once held,
/// it reads which earlier activities of the conversation are still unhandled and whether this one still is.
/// Lock connections come from their own pool so waiting turns can never starve the turns doing the work.
/// </summary>
public sealed class PostgresConversationLock : IConversationLock, IAsyncDisposable
{
    private readonly NpgsqlDataSource _locks;

    public PostgresConversationLock(PostgresDatabase db, Microsoft.Extensions.Options.IOptions<PipelineOptions> options)
    {
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString)
        {
            MaxPoolSize = options.Value.MaxParallelConversations + 4,
            ApplicationName = "ccbot-locks",
            // Closing a lock connection resets its session, which releases any advisory lock an error left behind.
            NoResetOnClose = false,
        };
        _locks = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public bool AcrossInstances => true;

    public async ValueTask<TurnLease> EnterAsync(string conversationKey, long inboundSeq, CancellationToken cancellationToken)
    {
        var conn = await _locks.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var earlier = new List<PendingInbound>();
            var handled = true;

            // One round trip: take the lock (waiting for another instance's turn), then read what is still pending.
            var batch = new NpgsqlBatch(conn);
            await using (batch.ConfigureAwait(false))
            {
                var take = new NpgsqlBatchCommand("SELECT pg_advisory_lock(hashtextextended(@key, 7))");
                take.Parameters.AddWithValue("key", conversationKey);
                var pending = new NpgsqlBatchCommand("""
                    SELECT seq, payload, text FROM transcript
                    WHERE conversation_key = @key AND inbound AND status = 'pending' AND seq <= @seq ORDER BY seq LIMIT 200
                    """);
                pending.Parameters.AddWithValue("key", conversationKey);
                pending.Parameters.AddWithValue("seq", inboundSeq);
                batch.BatchCommands.Add(take);
                batch.BatchCommands.Add(pending);
                await using var r = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await r.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var seq = r.GetInt64(0);
                    if (seq == inboundSeq)
                    {
                        handled = false;
                        continue;
                    }

                    earlier.Add(new PendingInbound(seq, PipelineJson.InboundFrom(r.IsDBNull(2) ? null : r.GetString(2), r.GetString(1))));
                }
            }

            return new TurnLease(earlier, handled, async () =>
            {
                try
                {
                    await using var give = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@key, 7))", conn);
                    give.Parameters.AddWithValue("key", conversationKey);
                    await give.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    await conn.DisposeAsync().ConfigureAwait(false);
                }
            });
        }
        catch
        {
            // Closing the session releases an advisory lock taken on it.
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _locks.DisposeAsync();
}
