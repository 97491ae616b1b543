using System.Text.Json;
using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

[Collection(ModelCollection.Name)]
public sealed class NluCommandsTests
{
    private readonly ModelFixture _fixture;

    public NluCommandsTests(ModelFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Predict_writes_one_readable_json_object_per_line()
    {
        var engine = NluEngine.Create(_fixture.Model, _fixture.Faq, new RoutingOptions());
        var output = new StringWriter();
        var code = await NluCommands.PredictAsync(engine, new StringReader("số điện thoại ban tổ chức\n\nhôm nay trời mưa không\n"), output, CancellationToken.None);

        code.Should().Be(0);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().Contain("\"text\":\"số điện thoại ban tổ chức\"", "Vietnamese must not be \\u-escaped");
        using var doc = JsonDocument.Parse(lines[0]);
        doc.RootElement.GetProperty("intent").GetString().Should().Be(IntentNames.Contact);
        doc.RootElement.GetProperty("confidence").GetDouble().Should().BeInRange(0, 1);
    }

    [Fact]
    public void Eval_prints_metrics_and_fails_cleanly_on_bad_input()
    {
        var output = new StringWriter();
        NluCommands.Eval(TestData.DataDir, TestData.TestPath, output).Should().Be(0);
        var text = output.ToString();
        text.Should().Contain("Accuracy").And.Contain("Macro-F1").And.Contain("Precision").And.Contain("Ma trận nhầm lẫn");
        foreach (var intent in IntentNames.All) text.Should().Contain(intent);

        var bad = new StringWriter();
        NluCommands.Eval(TestData.DataDir, "/nonexistent/test.tsv", bad).Should().Be(1);
        bad.ToString().Should().StartWith("Lỗi:").And.Contain("/nonexistent/test.tsv");
    }

    [Fact]
    public void Train_saves_a_loadable_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nlu-model-{Guid.NewGuid():N}.bin");
        try
        {
            var output = new StringWriter();
            NluCommands.Train(TestData.DataDir, path, output).Should().Be(0);
            output.ToString().Should().Contain("Đã huấn luyện");
            using var stream = File.OpenRead(path);
            IntentModel.Load(stream).Intents.Should().Equal(_fixture.Model.Intents);
            NluCommands.Train("/nonexistent", path, new StringWriter()).Should().Be(1);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
