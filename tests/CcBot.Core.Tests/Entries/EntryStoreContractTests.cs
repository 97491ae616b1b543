using CcBot.Core.Entries;

namespace CcBot.Core.Tests.Entries;

/// <summary>
/// The <see cref="IEntryStore"/> contract, run against SQLite and PostgreSQL: every method, and the guarantees that must
/// hold when several instances accept entries at once (gapless receipt numbers, per-person and per-unit limits).
/// </summary>
public abstract class EntryStoreContractTests(string provider)
{
    private const string Contest = "khanh-hoa-2021";
    private const string OtherContest = "ha-noi-2019";
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_625_104_800_321);
    private static readonly CancellationToken None = CancellationToken.None;

    private static NewEntry New(long user, string unit = "Phòng Tư pháp", string contest = Contest, int minute = 0) =>
        new(contest, user, "Tác giả " + user, unit, "Bài " + user, null, null, null, "https://youtu.be/" + user, null, T0.AddMinutes(minute));

    [Fact]
    public async Task Twenty_entries_at_once_get_gapless_receipt_numbers()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(u => Task.Run(() => h.Store.InsertAsync(New(u, "Đơn vị " + u), "KH21", 5, 5, None))));

        results.Should().OnlyContain(r => r.Status == SubmitStatus.Accepted);
        results.Select(r => r.Entry!.Receipt).Should().BeEquivalentTo(Enumerable.Range(1, 20).Select(i => $"KH21-{i:0000}"));
        results.Select(r => r.Entry!.Id).Should().OnlyHaveUniqueItems();
        (await h.Store.ListAsync(Contest, None)).Select(e => e.Receipt).Should().Equal(Enumerable.Range(1, 20).Select(i => $"KH21-{i:0000}"));
        (await h.Store.InsertAsync(New(1, contest: OtherContest), "HN19", 5, 5, None)).Entry!.Receipt.Should().Be("HN19-0001");
    }

    [Fact]
    public async Task The_person_and_unit_limits_hold_when_entries_arrive_at_once()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var same = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => h.Store.InsertAsync(New(1, "Đơn vị " + i), "KH21", 2, 100, None))));
        same.Count(r => r.Status == SubmitStatus.Accepted).Should().Be(2);
        same.Count(r => r.Status == SubmitStatus.PersonLimit && r.Entry == null).Should().Be(8);

        // Spellings of one unit (case, diacritics) share its limit.
        string[] spellings = ["Văn phòng Sở", "VĂN PHÒNG SỞ", "van phong so", "Văn Phòng Sở"];
        var unit = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => h.Store.InsertAsync(New(100 + i, spellings[i % 4]), "KH21", 2, 3, None))));
        unit.Count(r => r.Status == SubmitStatus.Accepted).Should().Be(3);
        unit.Count(r => r.Status == SubmitStatus.UnitLimit).Should().Be(7);
        (await h.Store.ListAsync(Contest, None)).Should().HaveCount(5);
    }

    [Fact]
    public async Task An_entry_reads_back_with_its_optional_fields_and_is_found_by_receipt()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        var full = new NewEntry(Contest, 1, "Nguyễn Văn An", "Phòng Tư pháp", "Một cửa \"liên thông\"", "abc123", "đề cương.docx", 12_345, "https://youtu.be/x", "mot cua lien thong", T0.AddMinutes(5));
        var (stored, status) = await h.Store.InsertAsync(full, "KH21", 5, 5, None);
        status.Should().Be(SubmitStatus.Accepted);
        await h.Store.InsertAsync(New(1, minute: 1), "KH21", 5, 5, None);
        await h.Store.InsertAsync(New(2), "KH21", 5, 5, None);

        var mine = await h.Store.ListByUserAsync(1, None);
        mine.Select(e => e.Receipt).Should().Equal("KH21-0002", "KH21-0001");
        mine[1].Should().Be(stored);
        mine[1].Should().Be(new Entry(stored!.Id, Contest, "KH21-0001", 1, "Nguyễn Văn An", "Phòng Tư pháp", "Một cửa \"liên thông\"", "abc123", "đề cương.docx", 12_345,
            "https://youtu.be/x", "mot cua lien thong", T0.AddMinutes(5), false));
        mine[0].Should().BeEquivalentTo(new { FileHash = (string?)null, FileName = (string?)null, FileSize = (long?)null, Text = (string?)null });
        (await h.Store.FindAsync(Contest, " kh21-0001 ", None)).Should().Be(stored);
        (await h.Store.FindAsync(Contest, "KH21-0009", None)).Should().BeNull();
        (await h.Store.FindAsync(OtherContest, "KH21-0001", None)).Should().BeNull();
    }

    [Fact]
    public async Task Approval_matches_receipts_without_regard_to_case_and_counts_the_entries()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        for (var u = 1; u <= 3; u++)
        {
            await h.Store.InsertAsync(New(u, "Đơn vị " + u), "KH21", 5, 5, None);
        }

        (await h.Store.ApproveAsync(Contest, [" kh21-0001 ", "KH21-0003", "KH21-0099"], None)).Should().Be(2);
        (await h.Store.ApproveAsync(OtherContest, ["KH21-0002"], None)).Should().Be(0);
        (await h.Store.ListAsync(Contest, None)).Select(e => e.Approved).Should().Equal(true, false, true);
    }

    [Fact]
    public async Task A_similarity_flag_is_kept_once_per_pair_and_replaced_by_a_newer_one()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        await h.Store.AddFlagsAsync([new SimilarityFlag(Contest, 9, 4, 0.5, ["cũ"]), new SimilarityFlag(Contest, 1, 2, 0.75, ["một", "hai"])], None);
        await h.Store.AddFlagsAsync([new SimilarityFlag(Contest, 4, 9, 0.96, ["đoạn \"trùng\" nhau"]), new SimilarityFlag(OtherContest, 5, 6, 0.99, ["khác"])], None);

        var flags = await h.Store.ListFlagsAsync(Contest, None);
        flags.Should().HaveCount(2);
        flags[0].Should().BeEquivalentTo(new SimilarityFlag(Contest, 4, 9, 0.96, ["đoạn \"trùng\" nhau"]));
        flags[1].Should().BeEquivalentTo(new SimilarityFlag(Contest, 1, 2, 0.75, ["một", "hai"]));
        (await h.Store.ListFlagsAsync(OtherContest, None)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_reopening_applies_to_every_spelling_of_the_unit_and_the_latest_one_counts()
    {
        await using var h = await EntryHarness.CreateAsync(provider);
        (await h.Store.ReopenedUntilAsync(Contest, "Văn phòng Sở", None)).Should().BeNull();
        await h.Store.ReopenAsync(Contest, "Văn phòng Sở", T0.AddDays(1), None);
        await h.Store.ReopenAsync(Contest, "VĂN PHÒNG SỞ", T0.AddDays(2), None);

        (await h.Store.ReopenedUntilAsync(Contest, "van phong so", None)).Should().Be(T0.AddDays(2));
        (await h.Store.ReopenedUntilAsync(Contest, "Thanh tra Sở", None)).Should().BeNull();
        (await h.Store.ReopenedUntilAsync(OtherContest, "Văn phòng Sở", None)).Should().BeNull();
    }
}

public sealed class EntryStoreContractOnSqlite() : EntryStoreContractTests("sqlite");

public sealed class EntryStoreContractOnPostgres() : EntryStoreContractTests("postgres");
