namespace CcBot.Core.Entries;

/// <summary>An accepted contest entry. <see cref="Text"/> is the folded extracted text (null: none, e.g. PDF or video only).</summary>
public sealed record Entry(
    long Id,
    string ContestId,
    string Receipt,
    long UserId,
    string FullName,
    string Unit,
    string Title,
    string? FileHash,
    string? FileName,
    long? FileSize,
    string? VideoUrl,
    string? Text,
    DateTimeOffset ReceivedAt,
    bool Approved);

/// <summary>A new entry before it gets its id and receipt.</summary>
public sealed record NewEntry(
    string ContestId, long UserId, string FullName, string Unit, string Title,
    string? FileHash, string? FileName, long? FileSize, string? VideoUrl, string? Text, DateTimeOffset ReceivedAt);

/// <summary>A pair of entries on the review list (nothing is rejected automatically).</summary>
public sealed record SimilarityFlag(string ContestId, long EntryA, long EntryB, double Score, IReadOnlyList<string> Passages);

/// <summary>A document submitted with an entry.</summary>
public sealed record EntryDocument(string FileName, byte[] Content);

public enum SubmitStatus
{
    Accepted,
    NotAccepting,
    NeedsProfile,
    Closed,
    NothingSubmitted,
    MissingTitle,
    BadType,
    TooLarge,
    BadLink,
    PersonLimit,
    UnitLimit,
}

public sealed record SubmitResult(SubmitStatus Status, Entry? Entry = null, DateTimeOffset? Deadline = null, string? Detail = null, IReadOnlyList<SimilarityFlag>? Flags = null);

/// <summary>The key a unit is compared and limited by, on every storage provider.</summary>
public static class EntryUnit
{
    /// <summary>Units compare case-insensitively with folded diacritics ("VĂN PHÒNG SỞ" = "van phong so").</summary>
    public static string Key(string unit) => Similarity.Fold(unit);
}
