using CcBot.Core.Contests;
using Xunit.Abstractions;

namespace CcBot.Core.Tests.Contests;

public class ContestsScratchTests(ITestOutputHelper output)
{
    [Fact]
    public void Dump()
    {
        var sw = new StringWriter();
        ContestCommands.Validate(Repo.ContestsDir, sw);
        output.WriteLine(sw.ToString());
        var now = Time.VietnamTime.At(2024, 11, 20, 10, 0);
        foreach (var c in Repo.Catalog.Contests)
        {
            foreach (var t in Enum.GetValues<ContestTopic>())
            {
                var a = ContestAnswers.Answer(c, t, now, Repo.Texts);
                output.WriteLine($"== {c.Id} {t} stated={a.Stated}\n{a.Message.Text}\n  buttons: {string.Join(" | ", a.Message.Buttons.Select(b => b.Title + "->" + (b.Url ?? b.Value)))}");
            }
        }

        foreach (var id in Repo.SeedFiles.Keys)
        {
            var r = NoticeIngestor.Ingest(Repo.Seed(id));
            output.WriteLine(NoticeIngestor.ToYaml(r.Draft));
        }
    }
}
