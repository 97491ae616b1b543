using CcBot.Core.Quiz;
using CcBot.Core.Quiz.Import;

namespace CcBot.Core.Tests.Quiz;

/// <summary>Run against both storage providers (see the <c>On...</c> classes at the end).</summary>
public abstract class QuizReportTests(string provider)
{
    [Fact]
    public async Task Participation_totals_equal_the_stored_attempts_per_unit_and_overall()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        await f.CompleteAsync(1, 5, 2, "Văn phòng Sở");
        await f.CompleteAsync(1, 3, 2, "Văn phòng Sở");
        await f.CompleteAsync(2, 4, 2, "Văn phòng Sở");
        await f.CompleteAsync(3, 2, 2, "Phòng Quản lý văn hóa");
        await f.StartAsync(4, "Phòng Quản lý văn hóa");                 // still running: counted as an attempt, not scored

        var data = await f.Report.BuildAsync(QuizFixture.ContestId, CancellationToken.None);

        data.TotalAttempts.Should().Be((int)f.Count("SELECT COUNT(*) FROM quiz_attempts"));
        data.Units.Sum(u => u.Attempts).Should().Be(5);
        data.Units.Sum(u => u.Participants).Should().Be((int)f.Count("SELECT COUNT(DISTINCT user_id) FROM quiz_attempts"));
        data.Units.Select(u => u.Unit).Should().Equal("Văn phòng Sở", "Phòng Quản lý văn hóa", "Phòng Quản lý thể thao");
        var office = data.Units[0];
        (office.Rank, office.Participants, office.Attempts, office.AverageScore, office.BestScore).Should().Be((1, 2, 3, 4.0, 5));
        data.Units[1].AverageScore.Should().Be(2);
        data.Units[2].Participants.Should().Be(0);
        data.Participants.Should().HaveCount(4);
        data.Participants.Single(p => p.FullName == "Người 1").Should().BeEquivalentTo(new { Attempts = 2, BestScore = 5 });

        var xlsx = Path.Combine(f.Folder, "report.xlsx");
        f.Report.Write(data, xlsx).Should().Equal(xlsx);
        var sheet = TabularFile.ReadXlsx(xlsx, f.Texts.Get("quiz.report.sheet_units"));
        sheet.SheetError.Should().BeNull();
        sheet.Rows.Sum(r => int.Parse(r.Get(3), System.Globalization.CultureInfo.InvariantCulture)).Should().Be(5);

        var csv = Path.Combine(f.Folder, "report.csv");
        var written = f.Report.Write(data, csv);
        written.Should().HaveCount(2);
        TabularFile.ReadCsv(written[1]).Rows.Should().HaveCount(4);
    }

    [Fact]
    public async Task A_corrected_unit_moves_the_participants_attempts_in_the_report()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        await f.CompleteAsync(1, 5, 2, "Văn phòng Sở");
        await new QuizParticipantSync(f.Store).OnChangedAsync(QuizFixture.ContestId,
            new CcBot.Core.Pipeline.UserProfile { Id = 1, Channel = "t", ChannelUserId = "1", FullName = "Nguyễn Văn An", Unit = "Phòng Quản lý thể thao" }, CancellationToken.None);

        var data = await f.Report.BuildAsync(QuizFixture.ContestId, CancellationToken.None);

        data.Units[0].Unit.Should().Be("Phòng Quản lý thể thao");
        data.Participants.Single().FullName.Should().Be("Nguyễn Văn An");
    }
}

public sealed class QuizReportOnSqlite() : QuizReportTests("sqlite");

public sealed class QuizReportOnPostgres() : QuizReportTests("postgres");
