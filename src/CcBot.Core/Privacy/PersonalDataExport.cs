using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CcBot.Core.Storage;
using CcBot.Core.Time;
using Dapper;

namespace CcBot.Core.Privacy;

/// <summary>How much is kept about a person: what "dữ liệu của tôi" tells them before they download it.</summary>
public sealed record PersonalDataSummary(int Messages, int QuizAttempts, int Entries, int Votes, int Reminders, int Tickets);

/// <summary>
/// Everything stored about one person, as one JSON document (profile, consent log, conversations and messages, quiz attempts,
/// entries, votes, reminder subscriptions, help-desk tickets), times in Vietnam time. One statement set for SQLite and PostgreSQL.
/// </summary>
public sealed class PersonalDataExport(ISqlConnections connections, ConsentLog consents, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string UserId = "(SELECT id FROM users WHERE channel = @ch AND channel_user_id = @cu)";

    /// <summary>Each part of the document and the query that fills it.</summary>
    private static readonly (string Name, string Sql)[] Parts =
    [
        ("profile", "SELECT id, channel, channel_user_id, display_name, full_name, unit, consent_at, created_at FROM users WHERE channel = @ch AND channel_user_id = @cu"),
        ("conversations", "SELECT conversation_key, created_at, updated_at FROM conversations WHERE channel = @ch AND user_id = @cu ORDER BY created_at"),
        ("messages", "SELECT seq, conversation_key, inbound, kind, text, value, created_at, status FROM transcript WHERE channel = @ch AND user_id = @cu ORDER BY seq"),
        ("quiz_attempts", $"SELECT contest_id, full_name, unit, question_count, correct, status, started_at FROM quiz_attempts WHERE user_id = {UserId} ORDER BY started_at"),
        ("entries", $"SELECT contest_id, receipt, title, full_name, unit, file_name, file_size, video_url, received_at FROM entries WHERE user_id = {UserId} ORDER BY received_at"),
        ("votes", $"SELECT contest_id, entry_id, voted_at FROM votes WHERE user_id = {UserId} ORDER BY voted_at"),
        ("reminders", "SELECT contest_id, created_at FROM reminder_subscriptions WHERE conversation_key IN (SELECT conversation_key FROM conversations WHERE channel = @ch AND user_id = @cu) ORDER BY created_at"),
        ("tickets", "SELECT id, reason, text, status, created_at FROM escalations WHERE channel = @ch AND user_id = @cu ORDER BY id"),
    ];

    public async Task<JsonObject> ExportAsync(PrivacySubject subject, CancellationToken cancellationToken)
    {
        var document = new JsonObject
        {
            ["subject"] = subject.ToString(),
            ["exported_at"] = Format(clock.GetUtcNow()),
            ["legal_basis"] = "Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân",
        };
        await using (var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (name, sql) in Parts)
            {
                var rows = await conn.QueryAsync(new CommandDefinition(sql, Args(subject), cancellationToken: cancellationToken)).ConfigureAwait(false);
                var array = new JsonArray();
                foreach (IDictionary<string, object?> row in rows)
                {
                    array.Add(ToJson(row));
                }

                document[name] = name == "profile" ? (array.Count > 0 ? array[0]!.DeepClone() : null) : array;
            }
        }

        var log = await consents.ReadAsync(subject, cancellationToken).ConfigureAwait(false);
        document["consents"] = new JsonArray([.. log.Select(c => (JsonNode)new JsonObject
        {
            ["action"] = c.Action, ["version"] = c.Version, ["text"] = c.Text, ["at"] = Format(c.At),
        })]);
        return document;
    }

    public static string ToText(JsonObject document) => document.ToJsonString(Indented);

    public async Task<PersonalDataSummary> SummarizeAsync(PrivacySubject subject, CancellationToken cancellationToken)
    {
        await using var conn = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var counts = await conn.QuerySingleAsync<(long Messages, long Attempts, long Entries, long Votes, long Reminders, long Tickets)>(new CommandDefinition(
            $"""
            SELECT (SELECT COUNT(*) FROM transcript WHERE channel = @ch AND user_id = @cu AND inbound),
                   (SELECT COUNT(*) FROM quiz_attempts WHERE user_id = {UserId}),
                   (SELECT COUNT(*) FROM entries WHERE user_id = {UserId}),
                   (SELECT COUNT(*) FROM votes WHERE user_id = {UserId}),
                   (SELECT COUNT(*) FROM reminder_subscriptions WHERE conversation_key IN (SELECT conversation_key FROM conversations WHERE channel = @ch AND user_id = @cu)),
                   (SELECT COUNT(*) FROM escalations WHERE channel = @ch AND user_id = @cu)
            """, Args(subject), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new PersonalDataSummary((int)counts.Messages, (int)counts.Attempts, (int)counts.Entries, (int)counts.Votes, (int)counts.Reminders, (int)counts.Tickets);
    }

    private static object Args(PrivacySubject subject) => new { ch = subject.Channel, cu = subject.ChannelUserId };

    /// <summary>A row as JSON: times (ISO text, timestamptz, or Unix milliseconds in columns named *_at) in Vietnam time, flags as booleans.</summary>
    private static JsonObject ToJson(IDictionary<string, object?> row)
    {
        var o = new JsonObject();
        foreach (var (column, value) in row)
        {
            o[column] = (column, value) switch
            {
                (_, null or DBNull) => null,
                ("inbound", long l) => l != 0,
                ("inbound", bool b) => b,
                (_, DateTime d) => Format(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))),
                (_, DateTimeOffset t) => Format(t),
                (var c, long ms) when c.EndsWith("_at", StringComparison.Ordinal) => Format(DateTimeOffset.FromUnixTimeMilliseconds(ms)),
                (var c, string s) when c.EndsWith("_at", StringComparison.Ordinal)
                    && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) => Format(t),
                (_, string s) => s,
                (_, long l) => l,
                (_, int i) => (long)i,
                (_, double x) => x,
                (_, short i) => (long)i,
                (_, bool b) => b,
                (_, var v) => Convert.ToString(v, CultureInfo.InvariantCulture),
            };
        }

        return o;
    }

    private static string Format(DateTimeOffset t) => VietnamTime.ToVietnam(t).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
