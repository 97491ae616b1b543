namespace CcBot.Core.Entries;

/// <summary>Bound from <c>Entries</c>: chat accounts of organizers, who see the live tally (with burst flags) even when it is not public.</summary>
public sealed class EntryOptions
{
    public const string Section = "Entries";

    /// <summary>Accounts as <c>channel:user-id</c>, e.g. <c>telegram:123456</c>.</summary>
    public List<string> Organizers { get; set; } = [];

    public bool IsOrganizer(Pipeline.UserProfile user) =>
        Organizers.Contains(user.Channel + ":" + user.ChannelUserId, StringComparer.OrdinalIgnoreCase);
}
