using CcBot.Core.Pipeline;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CcBot.Core.HelpDesk;

/// <summary>
/// Help desk notifications across instances: on PostgreSQL a change (a user's message in a claimed conversation,
/// a claim, a new escalation) is published with <c>NOTIFY</c>, and every instance's <see cref="HelpDeskRelayListener"/>
/// hands it to its own console notifier, so staff see it whichever instance served the user or the other staff member.
/// A staff message (claim notice, reply, hand-back) is announced the same way, so it reaches a Direct Line user whose
/// stream is held by another instance at once.
/// </summary>
public static class HelpDeskRelay
{
    public const string Channel = "ccbot_helpdesk";
    public const string Queue = "queue";
    public const string ConversationPrefix = "conversation:";

    /// <summary>
    /// Registers <typeparamref name="TLocal"/> (e.g. the SignalR notifier) as the help desk notifier: directly on SQLite,
    /// behind the PostgreSQL relay on PostgreSQL.
    /// </summary>
    public static IServiceCollection AddHelpDeskNotifier<TLocal>(this IServiceCollection services)
        where TLocal : class, IHelpDeskNotifier
    {
        services.AddSingleton<TLocal>();
        services.AddSingleton<IHelpDeskNotifier>(sp => sp.UsesPostgres()
            ? ActivatorUtilities.CreateInstance<PostgresHelpDeskNotifier>(sp)
            : sp.GetRequiredService<TLocal>());
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<HelpDeskRelayListener>(sp, sp.GetRequiredService<TLocal>()));
        services.AddHostedService(sp => sp.GetRequiredService<HelpDeskRelayListener>());
        return services;
    }
}

/// <summary>Publishes help desk changes to every instance (including this one, through its listener).</summary>
public sealed class PostgresHelpDeskNotifier(PostgresDatabase db) : IHelpDeskNotifier
{
    public Task ConversationChangedAsync(string conversationKey, CancellationToken cancellationToken) =>
        PublishAsync(HelpDeskRelay.ConversationPrefix + conversationKey, cancellationToken);

    public Task QueueChangedAsync(CancellationToken cancellationToken) => PublishAsync(HelpDeskRelay.Queue, cancellationToken);

    private async Task PublishAsync(string payload, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", conn);
        cmd.Parameters.AddWithValue("channel", HelpDeskRelay.Channel);
        cmd.Parameters.AddWithValue("payload", payload);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// On PostgreSQL, listens on <see cref="HelpDeskRelay.Channel"/> with one dedicated connection (reconnecting after a
/// failure) and passes every notification to this instance's console notifier. Does nothing on SQLite.
/// </summary>
public sealed class HelpDeskRelayListener(
    IHelpDeskNotifier local,
    IServiceProvider services,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<HelpDeskRelayListener> logger) : BackgroundService
{
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first <c>LISTEN</c> is in place.</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.Value.IsPostgres())
        {
            return;
        }

        await PostgresListener.ListenAsync(
            services.GetRequiredService<PostgresDatabase>(),
            HelpDeskRelay.Channel,
            payload => _ = ForwardAsync(payload, stoppingToken),
            time,
            logger,
            stoppingToken,
            () => _listening.TrySetResult()).ConfigureAwait(false);
    }

    private async Task ForwardAsync(string payload, CancellationToken cancellationToken)
    {
        try
        {
            if (payload == HelpDeskRelay.Queue)
            {
                await local.QueueChangedAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (payload.StartsWith(HelpDeskRelay.ConversationPrefix, StringComparison.Ordinal))
            {
                var conversationKey = payload[HelpDeskRelay.ConversationPrefix.Length..];
                // A staff message stored by another instance: wake this instance's Direct Line streams of the conversation
                // now rather than at their next periodic re-read (locally: every instance gets this notification itself).
                services.GetService<OutboundNotifier>()?.NotifyLocal(conversationKey);
                await local.ConversationChangedAsync(conversationKey, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not pass on the help desk notification {Payload}", payload);
        }
    }
}
