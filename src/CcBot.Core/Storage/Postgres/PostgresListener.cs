using Microsoft.Extensions.Logging;
using Npgsql;

namespace CcBot.Core.Storage.Postgres;

/// <summary>
/// Listens on one PostgreSQL NOTIFY channel with a dedicated connection until stopped, reconnecting 2 s after a
/// failure, and hands every payload to <paramref name="onPayload"/>.
/// </summary>
public static class PostgresListener
{
    public static async Task ListenAsync(
        PostgresDatabase db,
        string channel,
        Action<string> onPayload,
        TimeProvider time,
        ILogger logger,
        CancellationToken stoppingToken,
        Action? onListening = null)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await db.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                conn.Notification += (_, e) => onPayload(e.Payload);
                await PostgresDatabase.ExecAsync(conn, null, "LISTEN " + channel, stoppingToken).ConfigureAwait(false);
                onListening?.Invoke();
                while (true)
                {
                    await conn.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
            {
                logger.LogWarning(ex, "Listening on {Channel} for other instances' changes was interrupted; listening again in 2 s", channel);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
