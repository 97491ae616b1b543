using CcBot.Core.Contests;

namespace CcBot.Core.Entries;

/// <summary>Who submits: a registered participant (name and unit known, consent given).</summary>
public sealed record Submitter(long UserId, string FullName, string Unit);

/// <summary>
/// Accepts entries: checks the contest's kind and deadline (or a reopening for the submitter's unit), the organizer's limits
/// (types, size, entries per person and unit), stores the file content-addressed, gives a receipt and runs the similarity check.
/// </summary>
public sealed class EntryService(ContestCatalog catalog, EntrySettingsCatalog settings, IEntryStore store, EntryFileStore files)
{
    public static bool AcceptsEntries(Contest contest) => contest.Kind is ContestKind.InitiativeWriting or ContestKind.VideoClip;

    /// <summary>The contest if it takes entries in chat (right kind and an <c>.entries.yaml</c>).</summary>
    public (Contest Contest, EntrySettings Settings)? Find(string contestId) =>
        catalog.Find(contestId) is { } c && AcceptsEntries(c) && settings.Find(c.Id) is { } s ? (c, s) : null;

    public IEnumerable<Contest> Contests => catalog.Contests.Where(c => Find(c.Id) is not null);

    public static DateTimeOffset? Deadline(Contest contest, EntrySettings settings) => DeadlineMilestone(contest, settings)?.At;

    public static Milestone? DeadlineMilestone(Contest contest, EntrySettings settings) =>
        settings.DeadlineMilestone is { Length: > 0 } id ? contest.Milestones.FirstOrDefault(m => m.Id == id) : contest.Closes;

    /// <summary>Checks done before the participant uploads anything (kind, deadline, limits).</summary>
    public async Task<SubmitResult> PrecheckAsync(string contestId, Submitter who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Find(contestId) is not { } found)
        {
            return new SubmitResult(SubmitStatus.NotAccepting);
        }

        var deadline = Deadline(found.Contest, found.Settings);
        if (deadline is { } d && now >= d)
        {
            var reopened = await store.ReopenedUntilAsync(contestId, who.Unit, cancellationToken).ConfigureAwait(false);
            if (reopened is not { } until || now >= until)
            {
                return new SubmitResult(SubmitStatus.Closed, Deadline: reopened is { } r && r > d ? r : d);
            }
        }

        var mine = (await store.ListAsync(contestId, cancellationToken).ConfigureAwait(false));
        if (mine.Count(e => e.UserId == who.UserId) >= found.Settings.EntriesPerPerson)
        {
            return new SubmitResult(SubmitStatus.PersonLimit, Detail: found.Settings.EntriesPerPerson.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (mine.Count(e => EntryUnit.Key(e.Unit) == EntryUnit.Key(who.Unit)) >= found.Settings.EntriesPerUnit)
        {
            return new SubmitResult(SubmitStatus.UnitLimit, Detail: found.Settings.EntriesPerUnit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new SubmitResult(SubmitStatus.Accepted, Deadline: deadline);
    }

    /// <summary>Checks one document against the type and size limits; null when it is acceptable.</summary>
    public static SubmitResult? CheckDocument(EntrySettings settings, string fileName, long size)
    {
        var ext = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        if (!settings.FileTypes.Contains(ext, StringComparer.OrdinalIgnoreCase))
        {
            return new SubmitResult(SubmitStatus.BadType, Detail: string.Join(", ", settings.FileTypes.Select(t => "." + t)));
        }

        return size > settings.MaxFileBytes ? new SubmitResult(SubmitStatus.TooLarge, Detail: FormatSize(settings.MaxFileBytes)) : null;
    }

    public static bool IsVideoLink(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Contains('.', StringComparison.Ordinal);

    public async Task<SubmitResult> SubmitAsync(string contestId, Submitter who, string title, EntryDocument? document, string? videoUrl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pre = await PrecheckAsync(contestId, who, now, cancellationToken).ConfigureAwait(false);
        if (pre.Status != SubmitStatus.Accepted)
        {
            return pre;
        }

        var s = Find(contestId)!.Value.Settings;
        if (string.IsNullOrWhiteSpace(title))
        {
            return new SubmitResult(SubmitStatus.MissingTitle);
        }

        if (videoUrl is not null && (!s.AcceptsVideoLink || !IsVideoLink(videoUrl)))
        {
            return new SubmitResult(SubmitStatus.BadLink);
        }

        if (document is null && (s.RequiresDocument || videoUrl is null))
        {
            return new SubmitResult(SubmitStatus.NothingSubmitted);
        }

        string? hash = null;
        string? text = null;
        if (document is not null)
        {
            if (CheckDocument(s, document.FileName, document.Content.LongLength) is { } refused)
            {
                return refused;
            }

            hash = await files.SaveAsync(document.Content, cancellationToken).ConfigureAwait(false);
            text = TextExtractor.Extract(document.Content, Path.GetExtension(document.FileName).TrimStart('.')) is { } raw ? Similarity.Fold(raw) : null;
        }

        var (entry, status) = await store.InsertAsync(
            new NewEntry(contestId, who.UserId, who.FullName.Trim(), who.Unit.Trim(), title.Trim(), hash, document?.FileName, document?.Content.LongLength,
                videoUrl?.Trim(), text, now),
            s.ReceiptPrefix, s.EntriesPerPerson, s.EntriesPerUnit, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return new SubmitResult(status, Detail: (status == SubmitStatus.PersonLimit ? s.EntriesPerPerson : s.EntriesPerUnit).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var flags = await CheckSimilarityAsync(entry, s, cancellationToken).ConfigureAwait(false);
        return new SubmitResult(SubmitStatus.Accepted, entry, pre.Deadline, Flags: flags);
    }

    /// <summary>Compares the entry with every other entry of the contest; pairs at or above the threshold go to the review list.</summary>
    public async Task<IReadOnlyList<SimilarityFlag>> CheckSimilarityAsync(Entry entry, EntrySettings s, CancellationToken cancellationToken)
    {
        if (entry.Text is null)
        {
            return [];
        }

        var flags = new List<SimilarityFlag>();
        foreach (var other in await store.ListAsync(entry.ContestId, cancellationToken).ConfigureAwait(false))
        {
            if (other.Id == entry.Id || other.Text is null)
            {
                continue;
            }

            var match = Similarity.Compare(entry.Text, other.Text);
            if (match.Score >= s.SimilarityThreshold)
            {
                flags.Add(new SimilarityFlag(entry.ContestId, other.Id, entry.Id, match.Score, match.Passages));
            }
        }

        if (flags.Count > 0)
        {
            await store.AddFlagsAsync(flags, cancellationToken).ConfigureAwait(false);
        }

        return flags;
    }

    public static string FormatSize(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) + " MB"
        : (bytes / 1024.0).ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) + " KB";
}
