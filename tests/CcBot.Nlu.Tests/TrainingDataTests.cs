using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

public sealed class TrainingDataTests
{
    [Theory]
    [InlineData("intent\ttext\nrules\tthể lệ\nrules thể lệ không có tab\n", 3, "missing TAB")]
    [InlineData("intent\ttext\nrules\tthể lệ\n\nweather\ttrời mưa\n", 4, "unknown intent 'weather'")]
    [InlineData("intent\ttext\nrules\t   \n", 2, "empty text")]
    [InlineData("label,text\nrules,thể lệ\n", 1, "expected header")]
    public void Bad_rows_are_reported_with_file_and_line(string content, int line, string problem)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nlu-bad-{Guid.NewGuid():N}.tsv");
        File.WriteAllText(path, content);
        try
        {
            var act = () => TrainingData.LoadTsv(path);
            var error = act.Should().Throw<NluDataException>().Which;
            error.Line.Should().Be(line);
            error.Message.Should().Contain($"{path}:{line}").And.Contain(problem);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var act = () => TrainingData.LoadTsv("/nonexistent/train.tsv");
        act.Should().Throw<NluDataException>().WithMessage("*/nonexistent/train.tsv*not found*");
    }

    [Fact]
    public void Valid_file_loads_and_hash_depends_on_content_only()
    {
        var a = TrainingData.Parse(new StringReader("intent\ttext\nrules\tthể lệ\r\n\r\ncontact\tsđt\n"), "a");
        var b = TrainingData.Parse(new StringReader("intent\ttext\nrules\tthể lệ\ncontact\tsđt"), "b");
        a.Should().HaveCount(2);
        TrainingData.ComputeHash(a).Should().Be(TrainingData.ComputeHash(b));
        TrainingData.ComputeHash(a).Should().NotBe(TrainingData.ComputeHash(a.Take(1)));
    }
}
