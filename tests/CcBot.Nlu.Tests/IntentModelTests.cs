using System.Text;
using CcBot.Nlu;
using Xunit.Abstractions;

namespace CcBot.Nlu.Tests;

[Collection(ModelCollection.Name)]
public sealed class IntentModelTests
{
    private readonly ModelFixture _fixture;
    private readonly ITestOutputHelper _output;

    public IntentModelTests(ModelFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Training_data_has_at_least_60_examples_for_every_intent()
    {
        var counts = _fixture.Train.GroupBy(e => e.Intent).ToDictionary(g => g.Key, g => g.Count());
        foreach (var intent in IntentNames.All)
        {
            counts.Should().ContainKey(intent);
            counts[intent].Should().BeGreaterThanOrEqualTo(60, intent);
        }
        _fixture.Test.GroupBy(e => e.Intent).Should().HaveCount(IntentNames.All.Count);
        _fixture.OffTopic.Should().HaveCountGreaterThanOrEqualTo(40).And.OnlyContain(e => e.Intent == IntentNames.OutOfScope);
    }

    [Fact]
    public void Test_and_offtopic_sets_never_copy_training_sentences()
    {
        var train = _fixture.Train.Select(e => e.Text).ToHashSet(StringComparer.Ordinal);
        _fixture.Test.Concat(_fixture.OffTopic).Where(e => train.Contains(e.Text)).Should().BeEmpty();
    }

    [Fact]
    public void Five_fold_cross_validated_accuracy_is_at_least_085()
    {
        var predicted = new IntentTrainer().CrossValidate(_fixture.Train, 5);
        var report = ClassificationReport.Compute(_fixture.Train.Select(e => e.Intent).ToArray(), predicted);
        _output.WriteLine($"5-fold CV accuracy {report.Accuracy:0.0000}, macro-F1 {report.MacroF1:0.0000} on {_fixture.Train.Count} examples");
        report.Accuracy.Should().BeGreaterThanOrEqualTo(0.85);
    }

    [Fact]
    public void Held_out_test_accuracy_is_reported_and_high()
    {
        var predicted = _fixture.Test.Select(e => _fixture.Model.Predict(e.Text).Intent).ToArray();
        var report = ClassificationReport.Compute(_fixture.Test.Select(e => e.Intent).ToArray(), predicted, _fixture.Model.Intents);
        _output.WriteLine($"test.tsv accuracy {report.Accuracy:0.0000}, macro-F1 {report.MacroF1:0.0000} on {report.Total} examples");
        report.Accuracy.Should().BeGreaterThanOrEqualTo(0.9);
        report.MacroF1.Should().BeGreaterThanOrEqualTo(0.9);
    }

    [Fact]
    public void Accented_and_diacritic_stripped_sentences_get_the_same_intent()
    {
        var agree = _fixture.Test.Count(e =>
            _fixture.Model.Predict(e.Text).Intent == _fixture.Model.Predict(DiacriticFolder.Fold(e.Text)).Intent);
        var rate = (double)agree / _fixture.Test.Count;
        _output.WriteLine($"accented/folded agreement {rate:0.0000}");
        rate.Should().BeGreaterThanOrEqualTo(0.9);
    }

    [Fact]
    public void Nfd_input_predicts_exactly_like_nfc()
    {
        foreach (var e in _fixture.Test)
        {
            var nfc = _fixture.Model.Predict(e.Text.Normalize(NormalizationForm.FormC));
            var nfd = _fixture.Model.Predict(e.Text.Normalize(NormalizationForm.FormD));
            nfd.Should().BeEquivalentTo(nfc);
        }
    }

    [Fact]
    public void Prediction_has_three_sorted_calibrated_candidates()
    {
        var p = _fixture.Model.Predict("cho xin số điện thoại ban tổ chức");
        p.Intent.Should().Be(IntentNames.Contact);
        p.Top3.Should().HaveCount(3);
        p.Top3[0].Intent.Should().Be(p.Intent);
        p.Top3.Select(s => s.Confidence).Should().BeInDescendingOrder();
        p.Top3.Sum(s => s.Confidence).Should().BeLessThanOrEqualTo(1.0 + 1e-9);
        p.Confidence.Should().BeInRange(0, 1);
        _fixture.Model.Temperature.Should().BeInRange(0.05, 20);
    }

    [Theory]
    [InlineData("ad ơi cho e xin link vào thi", IntentNames.Registration)]
    [InlineData("thể lệ cuộc thi thế nào", IntentNames.Rules)]
    [InlineData("bao gio het han vay", IntentNames.Schedule)]
    [InlineData("tắt thông báo đi", IntentNames.Unsubscribe)]
    [InlineData("cảm ơn bot nha", IntentNames.ThanksBye)]
    public void Predicts_typical_messages(string text, string intent)
    {
        _fixture.Model.Predict(text).Intent.Should().Be(intent);
    }

    [Fact]
    public void Empty_and_emoji_messages_do_not_throw()
    {
        _fixture.Model.Predict("").Top3.Should().HaveCount(3);
        _fixture.Model.Predict("😀😀").Confidence.Should().BeInRange(0, 1);
        _fixture.Model.Predict(new string('x', 60_000)).Top3.Should().HaveCount(3);
    }

    [Fact]
    public void Training_twice_gives_identical_weights()
    {
        var subset = _fixture.Train.Where((_, i) => i % 2 == 0).ToArray();
        var first = new IntentTrainer().Train(subset);
        var second = new IntentTrainer().Train(subset);
        second.Temperature.Should().Be(first.Temperature);
        second.TrainingDataHash.Should().Be(first.TrainingDataHash);
        foreach (var e in _fixture.Test) second.Logits(e.Text).Should().Equal(first.Logits(e.Text));
        var other = new IntentTrainer().Train(subset.Skip(1).ToArray());
        other.TrainingDataHash.Should().NotBe(first.TrainingDataHash);
        _fixture.Test.Any(e => !other.Logits(e.Text).SequenceEqual(first.Logits(e.Text))).Should().BeTrue();
    }

    [Fact]
    public void Direct_scoring_of_the_weights_matches_ml_net_own_prediction()
    {
        foreach (var e in _fixture.Test.Take(40).Concat(_fixture.OffTopic.Take(10)))
        {
            var mlNet = _fixture.Model.ScoreWithMlNet(e.Text);
            var z = _fixture.Model.Logits(e.Text);
            var max = z.Max();
            var exp = z.Select(v => Math.Exp(v - max)).ToArray();
            var sum = exp.Sum();
            mlNet.Should().HaveCount(_fixture.Model.Intents.Count);
            for (var j = 0; j < exp.Length; j++) mlNet[j].Should().BeApproximately((float)(exp[j] / sum), 1e-4f, e.Text);
            var argmax = mlNet.Select((p, j) => (p, j)).MaxBy(x => x.p).j;
            _fixture.Model.Predict(e.Text).Intent.Should().Be(_fixture.Model.Intents[argmax], e.Text);
        }
    }

    [Fact]
    public void The_model_file_is_an_ml_net_model_with_our_metadata_beside_it()
    {
        var bytes = Serialize(_fixture.Model);
        var ml = new Microsoft.ML.MLContext();
        var transformer = ml.Model.Load(new MemoryStream(bytes), out var schema);
        transformer.Should().NotBeNull();
        schema["Features"].Type.Should().BeOfType<Microsoft.ML.Data.VectorDataViewType>();
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        zip.GetEntry("CcBot/intent-model.json").Should().NotBeNull();
        _fixture.Model.Trainer.Should().Be(nameof(IntentTrainerKind.LbfgsMaximumEntropy));
    }

    [Fact]
    public void Save_and_load_round_trip_gives_identical_predictions()
    {
        var bytes = Serialize(_fixture.Model);
        var loaded = IntentModel.Load(new MemoryStream(bytes));
        loaded.Intents.Should().Equal(_fixture.Model.Intents);
        loaded.TrainingDataHash.Should().Be(_fixture.Model.TrainingDataHash);
        loaded.Temperature.Should().Be(_fixture.Model.Temperature);
        foreach (var e in _fixture.Test.Concat(_fixture.OffTopic))
        {
            loaded.Predict(e.Text).Should().BeEquivalentTo(_fixture.Model.Predict(e.Text));
        }
        Serialize(loaded).Should().Equal(bytes);
    }

    [Fact]
    public void Loading_garbage_or_truncated_files_fails_clearly()
    {
        var act = () => IntentModel.Load(new MemoryStream(Encoding.ASCII.GetBytes("not a model")));
        act.Should().Throw<InvalidDataException>();
        var bytes = Serialize(_fixture.Model);
        var truncated = () => IntentModel.Load(new MemoryStream(bytes[..(bytes.Length / 2)]));
        truncated.Should().Throw<InvalidDataException>();
        var plainZip = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(plainZip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("Model/Model.key");
        }
        var withoutMetadata = () => IntentModel.Load(new MemoryStream(plainZip.ToArray()));
        withoutMetadata.Should().Throw<InvalidDataException>().WithMessage("*intent-model.json*");
    }

    private static byte[] Serialize(IntentModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }
}
