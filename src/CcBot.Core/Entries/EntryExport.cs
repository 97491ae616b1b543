using System.Globalization;
using CcBot.Core.Quiz.Import;
using CcBot.Core.Text;
using CcBot.Core.Time;
using CsvHelper;

namespace CcBot.Core.Entries;

/// <summary>One row of the entries list: the entry, the state of its stored file and its similarity flags.</summary>
public sealed record EntryRow(Entry Entry, string FileCheck, IReadOnlyList<string> Flags);

/// <summary>
/// <c>ccbot entries list|export</c>: receipt, person, unit, time, files (with a checksum check), similarity flags; the export adds the review
/// list (pairs with their overlapping passages). Headers come from <c>dialogs/entries.yaml</c> (<c>entries.export.*</c>).
/// </summary>
public sealed class EntryExport(IEntryStore store, EntryFileStore files, ITextCatalog texts)
{
    public async Task<IReadOnlyList<EntryRow>> RowsAsync(string contestId, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(contestId, cancellationToken).ConfigureAwait(false);
        var byId = entries.ToDictionary(e => e.Id);
        var flags = await store.ListFlagsAsync(contestId, cancellationToken).ConfigureAwait(false);
        var rows = new List<EntryRow>();
        foreach (var e in entries)
        {
            var check = e.FileHash is null ? string.Empty : await files.VerifyAsync(e.FileHash, cancellationToken).ConfigureAwait(false) ?? "ok";
            var mine = flags.Where(f => f.EntryA == e.Id || f.EntryB == e.Id)
                .Select(f => byId.GetValueOrDefault(f.EntryA == e.Id ? f.EntryB : f.EntryA)?.Receipt + " (" + Percent(f.Score) + ")").ToList();
            if (e.FileHash is not null && e.Text is null)
            {
                mine.Add(texts.Get("entries.export.not_extracted"));
            }

            rows.Add(new EntryRow(e, check, mine));
        }

        return rows;
    }

    public async Task<IReadOnlyList<SimilarityFlag>> ReviewAsync(string contestId, CancellationToken cancellationToken) =>
        await store.ListFlagsAsync(contestId, cancellationToken).ConfigureAwait(false);

    /// <summary>Writes FILE.xlsx (sheets: entries, review) or FILE.csv plus FILE-review.csv; returns the files written.</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(string contestId, string path, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(contestId, cancellationToken).ConfigureAwait(false);
        var byId = rows.ToDictionary(r => r.Entry.Id, r => r.Entry.Receipt);
        var review = await ReviewAsync(contestId, cancellationToken).ConfigureAwait(false);
        var header = new[] { "receipt", "full_name", "unit", "title", "received_at", "file", "sha256", "file_check", "video", "approved", "similarity" }
            .Select(k => texts.Get("entries.export." + k)).ToArray();
        var data = rows.Select(r => (IReadOnlyList<object?>)
        [
            r.Entry.Receipt, r.Entry.FullName, r.Entry.Unit, r.Entry.Title,
            VietnamTime.ToVietnam(r.Entry.ReceivedAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            r.Entry.FileName, r.Entry.FileHash, r.FileCheck, r.Entry.VideoUrl, r.Entry.Approved ? "x" : string.Empty, string.Join("; ", r.Flags),
        ]).ToList();
        var reviewHeader = new[] { "entry_a", "entry_b", "score", "passages" }.Select(k => texts.Get("entries.export." + k)).ToArray();
        var reviewData = review.Select(f => (IReadOnlyList<object?>)
            [byId.GetValueOrDefault(f.EntryA), byId.GetValueOrDefault(f.EntryB), Percent(f.Score), string.Join(" … ", f.Passages)]).ToList();

        return TabularFile.WriteReport(
            path,
            new TableSheet(texts.Get("entries.export.sheet_entries"), header, data),
            new TableSheet(texts.Get("entries.export.sheet_review"), reviewHeader, reviewData),
            "-review");
    }

    public static string Percent(double score) => Math.Round(score * 100).ToString(CultureInfo.InvariantCulture) + "%";
}
