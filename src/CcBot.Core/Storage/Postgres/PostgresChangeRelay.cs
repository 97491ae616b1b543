using System.Threading.Channels;
using CcBot.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CcBot.Core.Storage.Postgres;

/// <summary>
/// With several instances on PostgreSQL: relays "new transcript rows" signals between instances with
/// LISTEN/NOTIFY, so a Direct Line WebSocket open on one instance shows a reply written by another at once.
/// Only Direct Line conversations are relayed (other channels push replies, nobody waits on them). Does nothing on SQLite.
/// </summary>
public sealed class PostgresChangeRelay(IServiceProvider services, OutboundNotifier notifier, TimeProvider time, ILogger<PostgresChangeRelay> logger) : BackgroundService
{
    public const string ChannelName = "ccbot_transcript";
    private const string RelayedPrefix = "directline:";

    private readonly Channel<string> _outgoing = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!services.UsesPostgres())
        {
            return;
        }

        var db = services.GetRequiredService<PostgresDatabase>();
        notifier.AttachRelay(key =>
        {
            if (key.StartsWith(RelayedPrefix, StringComparison.Ordinal))
            {
                _outgoing.Writer.TryWrite(key);
            }
        });
        await Task.WhenAll(
            PostgresListener.ListenAsync(db, ChannelName, notifier.NotifyLocal, time, logger, stoppingToken),
            PublishAsync(db, stoppingToken)).ConfigureAwait(false);
    }

    private async Task PublishAsync(PostgresDatabase db, CancellationToken ct)
    {
        var batch = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (batch.Count < 500 && _outgoing.Reader.TryRead(out var key))
                {
                    batch.Add(key);
                }

                try
                {
                    await using var conn = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
                    await using var cmd = new NpgsqlCommand($"SELECT pg_notify('{ChannelName}', k) FROM unnest(@keys) AS k", conn);
                    cmd.Parameters.AddWithValue("keys", batch.ToArray());
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
                {
                    logger.LogWarning(ex, "Relaying {Count} transcript changes to other instances failed (their streams poll every 15 s)", batch.Count);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
