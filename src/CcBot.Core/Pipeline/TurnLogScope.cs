using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CcBot.Core.Activities;

namespace CcBot.Core.Pipeline;

/// <summary>The log scope of a turn: <c>ActivityId</c>, <c>Seq</c>, <c>Channel</c> and <c>Conversation</c> (a hash of the conversation key).</summary>
public sealed class TurnLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _values;

    private TurnLogScope(KeyValuePair<string, object?>[] values) => _values = values;

    public static TurnLogScope For(InboundActivity activity, long seq) => new(
    [
        new("ActivityId", activity.Id),
        new("Seq", seq),
        new("Channel", activity.Channel),
        new("Conversation", Hash(activity.ConversationKey)),
    ]);

    /// <summary>The first 12 hex digits of the SHA-256 of a conversation key: stable, not reversible to a chat id.</summary>
    public static string Hash(string conversationKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(conversationKey)))[..12];

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public int Count => _values.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Turn {_values[1].Value} {_values[2].Value}/{_values[0].Value} conversation {_values[3].Value}");
}
