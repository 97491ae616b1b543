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

    public ConversationState Clone() => JsonSerializer.Deserialize<ConversationState>(JsonSerializer.Serialize(this, PipelineJson.Options), PipelineJson.Options)!;
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

/// <summary>What a turn changed, written in one transaction.</summary>
public sealed record TurnCommit(
    long InboundSeq,
    InboundActivity Activity,
    ConversationState State,
    UserProfile User,
    IReadOnlyList<OutboundMessage> Replies,
    IReadOnlyList<EscalationRequest> Escalations,
    DateTimeOffset At,
    bool RepliesDeliveredOnStore = false);

/// <summary>State and user loaded at the start of a turn.</summary>
public sealed record TurnSnapshot(ConversationState State, UserProfile User);

public static class PipelineJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
