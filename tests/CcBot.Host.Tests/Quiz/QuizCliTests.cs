using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Quiz;

/// <summary>The quiz from the command line: practice in the terminal (numbered choices), bank import, participation report.</summary>
public sealed class QuizCliTests
{
    private static Dictionary<string, string?> Overrides(string folder) => new()
    {
        ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "ccbot.db")}",
        ["Storage:DataFolder"] = folder,
        ["Content:Root"] = RepoPaths.Root,
        ["Nlu:ModelFile"] = TestHost.SharedModelFile,
    };

    [Fact]
    public async Task Terminal_practice_shows_options_as_numbered_choices_and_answers_by_number()
    {
        var folder = TestHost.NewDataFolder();
        var input = new StringReader("/start hai-duong-2024\n/thi\n1\n1\n/quit\n");
        var output = new StringWriter();

        (await CliRoot.RunAsync(["chat", "--user", "tester"], input, output, Overrides(folder))).Should().Be(0);

        var text = output.ToString();
        text.Should().Contain("[1] Luyện tập").And.Contain("Câu 1/5").And.Contain("[4] D");
        text.Should().MatchRegex("Chính xác|Chưa đúng").And.Contain("Nguồn:").And.Contain("Câu 2/5");
    }

    [Fact]
    public async Task Import_reports_bad_rows_and_imports_nothing_then_the_report_counts_zero_attempts()
    {
        var folder = TestHost.NewDataFolder();
        var bank = Path.Combine(folder, "bank.csv");
        await File.WriteAllTextAsync(bank, "question,a,b,c,correct,source\nCâu 1?,x,y,z,A,Tài liệu\nCâu 2?,x,y,z,,Tài liệu\nCâu 1?,x,y,z,B,Tài liệu\n");
        var output = new StringWriter();

        var exit = await CliRoot.RunAsync(["quiz", "import", "--contest", "hai-duong-2024", bank], TextReader.Null, output, Overrides(folder));

        exit.Should().Be(1);
        output.ToString().Should().Contain("row 3: missing_correct").And.Contain("row 4: duplicate_question").And.Contain("Nothing imported");

        output = new StringWriter();
        (await CliRoot.RunAsync(["quiz", "import", "--contest", "hai-duong-2024", "--skip-bad", bank], TextReader.Null, output, Overrides(folder))).Should().Be(0);
        output.ToString().Should().Contain("Imported 1 questions");

        output = new StringWriter();
        var report = Path.Combine(folder, "report.xlsx");
        (await CliRoot.RunAsync(["reports", "participation", "--contest", "hai-duong-2024", "--out", report], TextReader.Null, output, Overrides(folder))).Should().Be(0);
        output.ToString().Should().Contain("4 units, 0 participants, 0 attempts");
        File.Exists(report).Should().BeTrue();
    }
}
