using CcBot.Core.Storage;
using Dapper;

namespace CcBot.Core.Pipeline;

/// <summary>A reply that was given up (its attempts used up, or refused by the channel): shown in the console.</summary>
public sealed record FailedReply(long Seq, string ConversationKey, string Channel, string? Text, string? Error, DateTimeOffset At);

/// <summary>The replies given up, newest first; one store for SQLite and PostgreSQL (shared SQL through Dapper).</summary>
public sealed class FailedReplies(ISqlConnections connections)
{
    public async Task<IReadOnlyList<FailedReply>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT seq AS Seq, conversation_key AS ConversationKey, channel AS Channel, text AS Text, error AS Error, created_at AS CreatedAt
            FROM transcript WHERE NOT inbound AND status = 'failed' ORDER BY seq DESC LIMIT @max
            """,
            new { max }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new FailedReply(r.Seq, r.ConversationKey, r.Channel, r.Text, r.Error, SqlConnections.ReadTime(r.CreatedAt)))];
    }

    private sealed class Row
    {
        public long Seq { get; set; }

        public string ConversationKey { get; set; } = "";

        public string Channel { get; set; } = "";

        public string? Text { get; set; }

        public string? Error { get; set; }

        public object CreatedAt { get; set; } = "";
    }
}
