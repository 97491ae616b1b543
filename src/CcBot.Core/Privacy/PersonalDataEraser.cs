using System.Data.Common;
using CcBot.Core.Storage;
using Dapper;

namespace CcBot.Core.Privacy;

/// <summary>What an erasure changed.</summary>
public sealed record ErasureResult(string AnonymousId, int Messages, int Conversations, int QuizAttempts, int Entries, int Tickets, int OutboxRows);

/// <summary>
/// Erases a person (Nghị định 13/2023/NĐ-CP, right to deletion), in one transaction on SQLite or PostgreSQL: their name and
/// chat ids leave every table; the texts they wrote and the bot's replies to them are blanked; conversations of theirs alone
/// get an anonymous key, lose their stored state and reference, their reminder subscriptions and their unsent broadcast rows.
/// Quiz attempts, entries and votes stay under the anonymous profile with their unit, so counts per unit in reports stay right.
/// </summary>
public sealed class PersonalDataEraser(ISqlConnections connections, ConsentLog consents, TimeProvider clock)
{
    /// <summary>What reports show instead of the name of an erased participant.</summary>
    public const string ErasedName = "(đã xoá theo yêu cầu)";

    public async Task<ErasureResult> EraseAsync(PrivacySubject subject, CancellationToken cancellationToken)
    {
        var anonymous = "erased-" + Guid.NewGuid().ToString("N")[..16];
        var p = new DynamicParameters(new { ch = subject.Channel, cu = subject.ChannelUserId, anon = anonymous, erasedName = ErasedName });
        ErasureResult result;
        await using (var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Conversations where nobody else wrote: the key itself names the person (a private chat id, a web chat of theirs).
            var own = (await conn.QueryAsync<string>(Command("""
                SELECT k.conversation_key FROM (
                    SELECT conversation_key FROM transcript WHERE channel = @ch AND user_id = @cu
                    UNION SELECT conversation_key FROM conversations WHERE channel = @ch AND user_id = @cu) k
                WHERE NOT EXISTS (SELECT 1 FROM transcript t WHERE t.conversation_key = k.conversation_key AND t.user_id IS NOT NULL AND t.user_id <> @cu)
                """, p, tx, cancellationToken)).ConfigureAwait(false)).ToList();
            var outbox = 0;
            foreach (var key in own)
            {
                var keys = new { key, erased = subject.Channel + ":" + anonymous + "-" + Guid.NewGuid().ToString("N")[..8] };
                await ExecAsync(conn, tx, "UPDATE transcript SET conversation_key = @erased WHERE conversation_key = @key", keys, cancellationToken).ConfigureAwait(false);
                await ExecAsync(conn, tx, "UPDATE escalations SET conversation_key = @erased WHERE conversation_key = @key", keys, cancellationToken).ConfigureAwait(false);
                await ExecAsync(conn, tx, "DELETE FROM conversations WHERE conversation_key = @key", keys, cancellationToken).ConfigureAwait(false);
                await ExecAsync(conn, tx, "DELETE FROM reminder_subscriptions WHERE conversation_key = @key", keys, cancellationToken).ConfigureAwait(false);
                // Broadcast rows keep their status for the broadcast's report; unsent ones are cancelled, the address is dropped.
                outbox += await ExecAsync(conn, tx, """
                    UPDATE outbox SET conversation_key = @erased, reference = '{}', dedupe_key = REPLACE(dedupe_key, @key, @erased),
                        status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
                    WHERE conversation_key = @key
                    """, keys, cancellationToken).ConfigureAwait(false);
            }

            var messages = await ExecAsync(conn, tx,
                "UPDATE transcript SET user_id = @anon, text = '', value = NULL, payload = NULL WHERE channel = @ch AND user_id = @cu", p, cancellationToken).ConfigureAwait(false);
            var tickets = await ExecAsync(conn, tx,
                "UPDATE escalations SET user_id = @anon, text = '' WHERE channel = @ch AND user_id = @cu", p, cancellationToken).ConfigureAwait(false);
            var attempts = await ExecAsync(conn, tx,
                "UPDATE quiz_attempts SET full_name = @erasedName WHERE user_id IN (SELECT id FROM users WHERE channel = @ch AND channel_user_id = @cu)", p, cancellationToken).ConfigureAwait(false);
            var entries = await ExecAsync(conn, tx,
                "UPDATE entries SET full_name = @erasedName WHERE user_id IN (SELECT id FROM users WHERE channel = @ch AND channel_user_id = @cu)", p, cancellationToken).ConfigureAwait(false);
            // The profile row stays (votes, attempts and entries point at it) with its unit only.
            await ExecAsync(conn, tx,
                "UPDATE users SET channel_user_id = @anon, display_name = NULL, full_name = NULL, consent_at = NULL WHERE channel = @ch AND channel_user_id = @cu", p, cancellationToken).ConfigureAwait(false);
            await ExecAsync(conn, tx,
                "UPDATE conversations SET user_id = @anon WHERE channel = @ch AND user_id = @cu", p, cancellationToken).ConfigureAwait(false);
            await ExecAsync(conn, tx,
                "UPDATE consent_records SET channel_user_id = @anon WHERE channel = @ch AND channel_user_id = @cu", p, cancellationToken).ConfigureAwait(false);
            // Earlier staff exports named the person in the audit log.
            await ExecAsync(conn, tx,
                "UPDATE audit_log SET target = @ch || ':' || @anon WHERE target = @ch || ':' || @cu", p, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            result = new ErasureResult(anonymous, messages, own.Count, attempts, entries, tickets, outbox);
        }

        // The log keeps that an erasure happened, under the anonymous id only.
        await consents.RecordAsync(subject with { ChannelUserId = anonymous }, ConsentLog.Erased, null, null, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static CommandDefinition Command(string sql, object p, DbTransaction tx, CancellationToken ct) => new(sql, p, tx, cancellationToken: ct);

    private static Task<int> ExecAsync(DbConnection conn, DbTransaction tx, string sql, object p, CancellationToken ct) => conn.ExecuteAsync(Command(sql, p, tx, ct));
}
