using CcBot.Core.Quiz;
using CcBot.Core.Quiz.Import;
using CcBot.Core.Tests.Contests;

namespace CcBot.Core.Tests.Quiz;

/// <summary>Run against both storage providers (see the <c>On...</c> classes at the end).</summary>
public abstract class QuizImportTests(string provider)
{
    private const string Header = "question,a,b,c,d,correct,explanation,topic,source\n";

    [Fact]
    public async Task Every_bad_row_is_reported_by_number_and_reason_and_nothing_is_imported_without_skip_bad()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var file = Path.Combine(f.Folder, "bank.csv");
        File.WriteAllText(file, Header
            + "Câu một?,A1,B1,C1,D1,A,,,Tài liệu\n"          // row 2: good
            + "Câu hai?,A2,B2,,,,,,Tài liệu\n"              // row 3: missing correct answer
            + "Câu một?,X,Y,,,B,,,Tài liệu\n"               // row 4: duplicate of row 2
            + "Câu bốn?,A4,,C4,,A,,,Tài liệu\n"             // row 5: empty option B before C
            + "Câu năm?,A5,B5,,,D,,,Tài liệu\n");           // row 6: correct answer points to an empty option
        var importer = new BankImporter(f.Store, f.Banks, f.Clock);

        var report = await importer.ImportAsync(QuizFixture.ContestId, file, skipBad: false, CancellationToken.None);

        report.Stored.Should().BeFalse();
        report.Errors.Select(e => (e.Row, e.Code)).Should().BeEquivalentTo(new[]
        {
            (3, "missing_correct"), (4, "duplicate_question"), (5, "empty_option"), (6, "missing_correct"),
        });
        report.Errors.Single(e => e.Row == 4).Message.Should().Contain("row 2");
        f.Count("SELECT COUNT(*) FROM quiz_questions").Should().Be(0);

        var skipped = await importer.ImportAsync(QuizFixture.ContestId, file, skipBad: true, CancellationToken.None);
        skipped.Stored.Should().BeTrue();
        skipped.Imported.Should().Be(1);
        skipped.Rejected.Should().Be(4);
        f.Count("SELECT COUNT(*) FROM quiz_questions WHERE active").Should().Be(1);
    }

    [Fact]
    public async Task An_xlsx_bank_is_read_from_its_questions_sheet_and_a_workbook_without_it_is_refused()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var good = Path.Combine(f.Folder, "bank.xlsx");
        TabularFile.WriteXlsx(good,
        [
            new TableSheet("questions", ["question", "a", "b", "c", "correct", "explanation", "topic", "source"],
            [
                ["Câu X?", "Một", "Hai", "Ba", "B", "Giải thích", "Chủ đề", "Nghị định 61/2018/NĐ-CP"],
                ["Câu Y?", "Một", "Hai", "", "A,B", "", "", "Nghị quyết 76/NQ-CP"],
            ]),
        ]);
        var importer = new BankImporter(f.Store, f.Banks, f.Clock);

        var report = await importer.ImportAsync(QuizFixture.ContestId, good, skipBad: false, CancellationToken.None);

        report.Errors.Should().BeEmpty();
        report.Imported.Should().Be(2);
        var bank = await f.Banks.GetAsync(QuizFixture.ContestId, CancellationToken.None);
        bank.Active.Should().HaveCount(2);
        bank.Active[0].Options.Should().Equal("Một", "Hai", "Ba");
        bank.Active[0].Correct.Should().Equal(1);
        bank.Active[1].Correct.Should().Equal(0, 1);

        var wrong = Path.Combine(f.Folder, "wrong.xlsx");
        TabularFile.WriteXlsx(wrong, [new TableSheet("Sheet1", ["question", "a", "b", "correct", "source"], [["Câu?", "x", "y", "A", "z"]])]);
        var refused = await importer.ImportAsync(QuizFixture.ContestId, wrong, skipBad: true, CancellationToken.None);
        refused.Stored.Should().BeFalse();
        refused.Errors.Should().ContainSingle(e => e.Row == 0 && e.Code == "wrong_sheet" && e.Message.Contains("Sheet1"));
    }
}

public sealed class QuizImportOnSqlite() : QuizImportTests("sqlite");

public sealed class QuizImportOnPostgres() : QuizImportTests("postgres");

/// <summary>The sample banks in data/quiz (no database).</summary>
public sealed class QuizSampleBankTests
{
    [Fact]
    public void The_sample_banks_have_no_errors_and_every_question_names_its_source()
    {
        var files = Directory.GetFiles(Path.Combine(Repo.Root, "data", "quiz"), "*.questions.csv");
        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            var contest = Path.GetFileName(file)[..^".questions.csv".Length];
            Repo.Catalog.Find(contest).Should().NotBeNull(file);
            var parsed = QuestionBankParser.Parse(contest, TabularFile.Read(file));
            parsed.Errors.Should().BeEmpty(file);
            parsed.Questions.Should().HaveCountGreaterThanOrEqualTo(10).And.OnlyContain(q => q.Source.Length > 5 && q.Explanation != null);
        }

        var settings = QuizSettingsCatalog.LoadFolder(Path.Combine(Repo.Root, "data", "quiz"));
        settings.ContestIds.Should().Contain(["hai-duong-2024", "bac-giang-2020"]);
    }
}
