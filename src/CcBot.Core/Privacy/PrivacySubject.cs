using System.Globalization;
using CcBot.Core.Storage;
using Dapper;

namespace CcBot.Core.Privacy;

/// <summary>A person as the channels know them: the channel and their id on it (<c>telegram:12345</c>).</summary>
public sealed record PrivacySubject(string Channel, string ChannelUserId)
{
    public override string ToString() => Channel + ":" + ChannelUserId;
}

/// <summary>Finds the person a staff member names: <c>channel:id</c> as the console shows it, or the number of their profile.</summary>
public sealed class PrivacySubjects(ISqlConnections connections)
{
    /// <summary>The subject, or null with the reason when nobody matches.</summary>
    public async Task<(PrivacySubject? Subject, string? Error)> FindAsync(string user, CancellationToken cancellationToken)
    {
        user = user.Trim();
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (long.TryParse(user.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            var rows = (await conn.QueryAsync<(string Channel, string ChannelUserId)>(new CommandDefinition(
                "SELECT channel, channel_user_id FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            return rows.Count == 1 ? (new PrivacySubject(rows[0].Channel, rows[0].ChannelUserId), null) : (null, $"No participant has profile number {id}.");
        }

        var colon = user.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == user.Length - 1)
        {
            return (null, $"'{user}' is neither channel:id (for example telegram:12345) nor a profile number.");
        }

        var subject = new PrivacySubject(user[..colon], user[(colon + 1)..]);
        var known = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM users WHERE channel = @ch AND channel_user_id = @cu)
                 + (SELECT COUNT(*) FROM transcript WHERE channel = @ch AND user_id = @cu)
            """, new { ch = subject.Channel, cu = subject.ChannelUserId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return known > 0 ? (subject, null) : (null, $"Nothing is stored about {subject}.");
    }
}
