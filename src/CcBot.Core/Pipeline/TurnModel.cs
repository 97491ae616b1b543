using System.Text.Json;
using System.Text.Json.Serialization;
using CcBot.Core.Activities;

namespace CcBot.Core.Pipeline;

/// <summary>Resumable per-conversation state, stored as JSON after every turn.</summary>
public sealed class ConversationState
{
    /// <summary>The contest the user is asking about, once chosen.</summary>
    public string? ContestId { get; set; }

    /// <summary>Active dialogs, innermost last.</summary>
    public List<DialogFrame> Stack { get; set; } = [];

    /// <summary>Small named values slices keep between turns.</summary>
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);

    public string ToJson() => JsonSerializer.Serialize(this, PipelineJson.Options);

    public static ConversationState FromJson(string? json) =>
        json is null ? new ConversationState() : JsonSerializer.Deserialize<ConversationState>(json, PipelineJson.Options) ?? new ConversationState();
}

/// <summary>One active dialog: its id, the step it waits in, and its own values.</summary>
public sealed class DialogFrame
{
    public required string DialogId { get; set; }

    public int Step { get; set; }

    public Dictionary<string, string> Data { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A user as known on one channel.</summary>
public sealed class UserProfile
{
    public long Id { get; init; }

    public required string Channel { get; init; }

    public required string ChannelUserId { get; init; }

    public string? DisplayName { get; set; }

    public string? FullName { get; set; }

    public string? Unit { get; set; }

    public DateTimeOffset? ConsentAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UnreachableAt { get; set; }
}

/// <summary>An escalation to a human: questions the bot could not answer, or a user asking for staff.</summary>
public sealed record EscalationRequest(string Reason, string Text, string? Intent, double? Confidence, string? ContestId);

/// <summary>
/// What a turn changed, written in one transaction: the conversation row (state, reference) and the user row
/// only when they differ from <see cref="Before"/>, then the replies and escalations.
/// </summary>
public sealed record TurnCommit(
    long InboundSeq,
    InboundActivity Activity,
    TurnSnapshot Before,
    ConversationState State,
    UserProfile User,
    IReadOnlyList<OutboundMessage> Replies,
    IReadOnlyList<EscalationRequest> Escalations,
    DateTimeOffset At,
    bool RepliesDeliveredOnStore = false)
{
    /// <summary>
    /// The inbound row the replies answer, when the user sees it as their own message (a greeting answers
    /// no message the user sent, so it names none).
    /// </summary>
    public long? ReplyToSeq => Activity.Kind is ActivityKind.ConversationStarted or ActivityKind.Event ? null : InboundSeq;
}

/// <summary>
/// What was stored before the turn: the state (and its JSON), the user (and whether a row exists), the stored
/// conversation reference JSON and the unreachable marks. Null JSON means no conversation row yet.
/// </summary>
public sealed record TurnSnapshot(
    ConversationState State,
    UserProfile User,
    string? StateJson,
    string? ReferenceJson,
    bool UserStored,
    bool Unreachable)
{
    /// <summary>The user's profile fields as loaded, to detect changes made by the turn.</summary>
    public (string? DisplayName, string? FullName, string? Unit, DateTimeOffset? ConsentAt) UserBefore { get; init; }
}

/// <summary>Builds a <see cref="TurnSnapshot"/> from the stored conversation and user columns (both providers read the same row shape).</summary>
public static class TurnSnapshots
{
    /// <param name="userId">Null when the user has no row yet.</param>
    public static TurnSnapshot FromStored(
        InboundActivity activity,
        string? stateJson,
        string? referenceJson,
        bool unreachable,
        long? userId,
        string? displayName,
        string? fullName,
        string? unit,
        DateTimeOffset? consentAt,
        DateTimeOffset? createdAt)
    {
        var user = new UserProfile
        {
            Id = userId ?? 0,
            Channel = activity.Channel,
            ChannelUserId = activity.From.UserId,
            DisplayName = displayName ?? activity.From.UserName,
            FullName = fullName,
            Unit = unit,
            ConsentAt = consentAt,
            CreatedAt = createdAt ?? activity.Timestamp,
        };
        if (activity.From.UserName is { Length: > 0 } name)
        {
            user.DisplayName = name;
        }

        return new TurnSnapshot(ConversationState.FromJson(stateJson), user, stateJson, referenceJson, userId is not null, unreachable)
        {
            UserBefore = userId is not null ? (displayName, fullName, unit, consentAt) : default,
        };
    }
}

public static class PipelineJson
{
    /// <summary>Web casing, nulls omitted, Vietnamese kept readable; source-generated for the pipeline's hot types.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
            PipelineJsonContext.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
    };

    /// <summary>The stored form of an outbound message: everything but the text, which has its own column; null when there is nothing else.</summary>
    public static string? OutboundExtras(OutboundMessage message) =>
        message.Buttons.Count == 0 && message.ReplacesChannelMessageId is null
            ? null
            : JsonSerializer.Serialize(message with { Text = string.Empty }, Options);

    public static OutboundMessage OutboundFrom(string? text, string? extras) =>
        extras is null
            ? OutboundMessage.Plain(text ?? string.Empty)
            : (JsonSerializer.Deserialize<OutboundMessage>(extras, Options) ?? OutboundMessage.Plain(string.Empty)) with { Text = text ?? string.Empty };

    /// <summary>The stored form of an inbound activity: everything but the text, which has its own column.</summary>
    public static string InboundExtras(InboundActivity activity) => JsonSerializer.Serialize(activity with { Text = null }, Options);

    public static InboundActivity InboundFrom(string? text, string extras) =>
        JsonSerializer.Deserialize<InboundActivity>(extras, Options)! with { Text = text };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InboundActivity))]
[JsonSerializable(typeof(OutboundMessage))]
[JsonSerializable(typeof(ConversationReference))]
[JsonSerializable(typeof(ConversationState))]
internal sealed partial class PipelineJsonContext : JsonSerializerContext;
