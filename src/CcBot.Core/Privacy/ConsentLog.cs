using CcBot.Core.Storage;
using Dapper;

namespace CcBot.Core.Privacy;

/// <summary>One line of the consent log.</summary>
public sealed record ConsentRecord(string Action, string? Version, string? Text, DateTimeOffset At);

/// <summary>Records consent given (with the exact text shown and its version), withdrawn, and erasures; one store for both databases.</summary>
public sealed class ConsentLog(ISqlConnections connections)
{
    public const string Given = "given";
    public const string Withdrawn = "withdrawn";
    public const string Erased = "erased";

    public async Task RecordAsync(PrivacySubject subject, string action, string? version, string? text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO consent_records(channel, channel_user_id, action, version, text, at_ms) VALUES (@ch, @cu, @action, @version, @text, @at)",
            new { ch = subject.Channel, cu = subject.ChannelUserId, action, version, text, at = at.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConsentRecord>> ReadAsync(PrivacySubject subject, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<(string Action, string? Version, string? Text, long AtMs)>(new CommandDefinition(
            "SELECT action, version, text, at_ms FROM consent_records WHERE channel = @ch AND channel_user_id = @cu ORDER BY id",
            new { ch = subject.Channel, cu = subject.ChannelUserId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new ConsentRecord(r.Action, r.Version, r.Text, DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs)))];
    }
}
