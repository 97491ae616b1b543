using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

[Collection(ModelCollection.Name)]
public sealed class IntentTrainerSelectionTests
{
    private readonly ModelFixture _fixture;

    public IntentTrainerSelectionTests(ModelFixture fixture) => _fixture = fixture;

    [Fact]
    public void Cross_validation_ranks_a_crippled_candidate_below_the_default()
    {
        var defaults = new IntentTrainerOptions();
        // An L2 this strong flattens every weight: the comparison must notice.
        var crippled = defaults with { L2 = 50f };
        var subset = _fixture.Train.Where((_, i) => i % 2 == 0).ToArray();
        var results = IntentTrainerSelection.Run(subset, [crippled, defaults], folds: 3);
        results.Should().HaveCount(2);
        results[1].Accuracy.Should().BeGreaterThan(results[0].Accuracy + 0.1);
        IntentTrainerSelection.Best(results).Options.Should().Be(defaults);
    }

    [Fact]
    public void Both_ml_net_trainers_learn_the_intents()
    {
        var subset = _fixture.Train.Where((_, i) => i % 2 == 0).ToArray();
        var sdca = new IntentTrainer(new IntentTrainerOptions { Trainer = IntentTrainerKind.SdcaMaximumEntropy, L2 = 1e-4f, MaxIterations = 50 }).Train(subset);
        sdca.Trainer.Should().Be(nameof(IntentTrainerKind.SdcaMaximumEntropy));
        var accuracy = _fixture.Test.Count(e => sdca.Predict(e.Text).Intent == e.Intent) / (double)_fixture.Test.Count;
        accuracy.Should().BeGreaterThan(0.85);
    }

    [Fact]
    public void Default_candidates_contain_the_options_in_use()
    {
        IntentTrainerSelection.DefaultCandidates().Should().Contain(new IntentTrainerOptions());
        var bad = new StringWriter();
        NluCommands.Select("/nonexistent", bad).Should().Be(NluCommands.BadInput);
        bad.ToString().Should().Contain("train.tsv");
    }
}
