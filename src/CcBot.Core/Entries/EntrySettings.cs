using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CcBot.Core.Entries;

/// <summary>
/// Organizer configuration of a contest's entries and vote, from <c>data/entries/&lt;contest-id&gt;.entries.yaml</c>. The notices state
/// none of these limits: every value is organizer-set. The deadline itself is a contest fact taken from the contest's milestones.
/// </summary>
public sealed class EntrySettings
{
    /// <summary>Receipt code prefix, e.g. <c>KH21</c> gives <c>KH21-0042</c>.</summary>
    public string ReceiptPrefix { get; set; } = "BDT";

    /// <summary>Milestone id whose instant is the submission deadline; empty: the contest's closing milestone.</summary>
    public string? DeadlineMilestone { get; set; }

    /// <summary>Largest accepted document, in bytes.</summary>
    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Accepted document extensions (without dot).</summary>
    public List<string> FileTypes { get; set; } = ["docx", "pdf", "txt"];

    /// <summary>Whether a video link may be (or must be) submitted.</summary>
    public bool AcceptsVideoLink { get; set; }

    /// <summary>Whether a document is required (else a video link alone is enough).</summary>
    public bool RequiresDocument { get; set; } = true;

    public int EntriesPerPerson { get; set; } = 3;

    public int EntriesPerUnit { get; set; } = 20;

    /// <summary>Shingle-set resemblance (0..1) from which a pair goes to the review list.</summary>
    public double SimilarityThreshold { get; set; } = 0.4;

    public VoteSettings Voting { get; set; } = new();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ReceiptPrefix)) errors.Add("receipt_prefix is required");
        if (MaxFileBytes < 1) errors.Add("max_file_bytes must be positive");
        if (EntriesPerPerson < 1) errors.Add("entries_per_person must be at least 1");
        if (EntriesPerUnit < 1) errors.Add("entries_per_unit must be at least 1");
        if (SimilarityThreshold is <= 0 or > 1) errors.Add("similarity_threshold must be in (0, 1]");
        if (Voting.VotesPerPerson < 1) errors.Add("voting.votes_per_person must be at least 1");
        return errors;
    }
}

/// <summary>Organizer-set vote rules.</summary>
public sealed class VoteSettings
{
    /// <summary>Entries one person may vote for.</summary>
    public int VotesPerPerson { get; set; } = 3;

    /// <summary>Whether a participant may withdraw a vote (and so vote for another entry) while the window is open.</summary>
    public bool AllowChange { get; set; }

    /// <summary>Whether participants may see the live tally (organizers always can).</summary>
    public bool PublicTally { get; set; }

    /// <summary>An account younger than this when voting counts as "new".</summary>
    public int NewAccountMinutes { get; set; } = 30;

    /// <summary>New-account votes for one entry from which the tally report flags a burst.</summary>
    public int BurstVotes { get; set; } = 5;
}

/// <summary>The entry settings of every contest with a <c>.entries.yaml</c> file. A contest without one takes no entries in chat.</summary>
public sealed class EntrySettingsCatalog(IReadOnlyDictionary<string, EntrySettings> byContest)
{
    public EntrySettings? Find(string contestId) => byContest.GetValueOrDefault(contestId);

    public IReadOnlyCollection<string> ContestIds => byContest.Keys.ToArray();

    public static EntrySettingsCatalog LoadFolder(string folder)
    {
        var map = new Dictionary<string, EntrySettings>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return new EntrySettingsCatalog(map);
        }

        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        foreach (var file in Directory.EnumerateFiles(folder, "*.entries.yaml").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(file)[..^".entries.yaml".Length];
            var settings = deserializer.Deserialize<EntrySettings?>(File.ReadAllText(file)) ?? new EntrySettings();
            var errors = settings.Validate();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"{file}: {string.Join("; ", errors)}");
            }

            map[id] = settings;
        }

        return new EntrySettingsCatalog(map);
    }
}
