using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

public sealed class NluEngineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ccbot-nlu-" + Guid.NewGuid().ToString("N"));

    public NluEngineTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "data", "nlu"));
        Directory.CreateDirectory(Path.Combine(_root, "data", "faq"));
        File.Copy(TestData.TrainPath, Path.Combine(_root, "data", "nlu", "train.tsv"));
        File.Copy(TestData.FaqPath, Path.Combine(_root, "data", "faq", "faq.tsv"));
    }

    private string DataDir => Path.Combine(_root, "data");

    private string ModelPath => Path.Combine(_root, "models", "intent.bin");

    [Fact]
    public void Trains_once_then_loads_until_the_training_data_changes()
    {
        var first = NluEngine.LoadOrTrain(DataDir, ModelPath, new RoutingOptions());
        first.TrainedAtStartup.Should().BeTrue();
        File.Exists(ModelPath).Should().BeTrue();

        var second = NluEngine.LoadOrTrain(DataDir, ModelPath, new RoutingOptions());
        second.TrainedAtStartup.Should().BeFalse();
        second.Understand("thể lệ cuộc thi").Should().BeEquivalentTo(first.Understand("thể lệ cuộc thi"));

        File.AppendAllText(Path.Combine(DataDir, "nlu", "train.tsv"), "rules\tluật thi mới ra sao\n");
        var third = NluEngine.LoadOrTrain(DataDir, ModelPath, new RoutingOptions());
        third.TrainedAtStartup.Should().BeTrue();
        third.Examples.Should().HaveCount(first.Examples.Count + 1);
    }

    [Theory]
    [InlineData("thi thử")]
    [InlineData("làm bài thi thử")]
    [InlineData("lam bai thi thu")]
    public void A_confident_command_runs_even_when_a_faq_question_shares_its_words(string message)
    {
        var engine = NluEngine.LoadOrTrain(DataDir, ModelPath, new RoutingOptions());

        var result = engine.Understand(message);

        result.FaqHits.Should().Contain(h => h.Document.Id == "thi-thu-co-tinh-diem", "the FAQ shares the words");
        result.Route.Kind.Should().Be(RouteKind.Intent);
        result.Route.Intent.Should().Be(IntentNames.QuizStart);
    }

    [Theory]
    [InlineData("Làm bài thi thử trên chatbot có được tính điểm không?")]
    [InlineData("thi thu tren chatbot co tinh diem khong")]
    public void A_message_asking_what_the_faq_asks_gets_the_faq(string message)
    {
        var engine = NluEngine.LoadOrTrain(DataDir, ModelPath, new RoutingOptions());

        var result = engine.Understand(message);

        result.Route.Kind.Should().Be(RouteKind.Faq);
        result.Route.Faq!.Document.Id.Should().Be("thi-thu-co-tinh-diem");
    }

    [Fact]
    public void A_corrupt_model_file_is_replaced_by_training()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath)!);
        File.WriteAllText(ModelPath, "garbage");
        var engine = NluEngine.LoadOrTrain(DataDir, ModelPath, new RoutingOptions());
        engine.TrainedAtStartup.Should().BeTrue();
        engine.Understand("cho xin sdt btc").Prediction.Intent.Should().Be(IntentNames.Contact);
    }

    [Fact]
    public void Understand_returns_all_parts_and_hooks_return_new_engines()
    {
        var engine = NluEngine.LoadOrTrain(DataDir, ModelPath, new RoutingOptions());
        var result = engine.Understand("Tôi QUÊN mật khẩu trang thi thì làm sao???");
        result.Normalized.Accented.Should().Be("tôi quên mật khẩu trang thi thì làm sao");
        result.FaqHits.Should().NotBeEmpty();
        result.Route.Kind.Should().Be(RouteKind.Faq);
        result.Route.Faq!.Document.Id.Should().Be("quen-mat-khau");

        var withFaq = engine.AddFaq("gio-lam-viec", "Bot trả lời vào những giờ nào?", "CcBot trả lời tự động 24/7.", "Ban biên tập CcBot");
        withFaq.Understand("bot trả lời lúc mấy giờ").FaqHits[0].Document.Id.Should().Be("gio-lam-viec");
        engine.Faq.Documents.Should().NotContain(d => d.Id == "gio-lam-viec");

        const string odd = "bánh chưng xanh lá dong";
        var retrained = engine.Retrain(Enumerable.Range(0, 8).Select(_ => new TrainingExample(IntentNames.Prizes, odd)));
        retrained.Understand(odd).Prediction.Intent.Should().Be(IntentNames.Prizes);
        engine.Understand(odd).Prediction.Intent.Should().NotBe(IntentNames.Prizes);
        var bad = () => engine.Retrain([new TrainingExample("weather", "x")]);
        bad.Should().Throw<ArgumentException>();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
