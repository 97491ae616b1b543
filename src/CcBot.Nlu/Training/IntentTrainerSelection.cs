using System.Diagnostics;

namespace CcBot.Nlu;

/// <summary>
/// Chooses the trainer by 5-fold stratified cross-validation on the training data: every candidate (an ML.NET
/// trainer with its regularization and feature weights) is cross-validated, the most accurate wins (ties: higher
/// macro-F1, then the earlier candidate). <see cref="IntentTrainerOptions"/>' defaults are the winner on
/// <c>data/nlu/train.tsv</c>; <c>nlu select</c> re-runs the comparison when the data grows.
/// </summary>
public static class IntentTrainerSelection
{
    public static IReadOnlyList<IntentTrainerOptions> DefaultCandidates()
    {
        var defaults = new IntentTrainerOptions();
        var list = new List<IntentTrainerOptions>();
        foreach (var l2 in new[] { 0.01f, 0.03f, 0.1f })
        {
            list.Add(defaults with { Trainer = IntentTrainerKind.LbfgsMaximumEntropy, L2 = l2 });
        }
        list.Add(defaults with { Trainer = IntentTrainerKind.LbfgsMaximumEntropy, Features = defaults.Features with { CharNgramWeight = 0.2f } });
        list.Add(defaults with { Trainer = IntentTrainerKind.LbfgsMaximumEntropy, Features = defaults.Features with { CharNgramWeight = 0.4f } });
        list.Add(defaults with { Trainer = IntentTrainerKind.LbfgsMaximumEntropy, Features = defaults.Features with { BigramWeight = 0.4f } });
        foreach (var l2 in new[] { 1e-4f, 1e-3f })
        {
            list.Add(defaults with { Trainer = IntentTrainerKind.SdcaMaximumEntropy, L2 = l2, MaxIterations = 50 });
        }
        return list;
    }

    public static IReadOnlyList<Candidate> Run(IReadOnlyList<TrainingExample> examples, IEnumerable<IntentTrainerOptions> candidates, int folds = 5)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(candidates);
        var gold = examples.Select(e => e.Intent).ToArray();
        var results = new List<Candidate>();
        foreach (var options in candidates)
        {
            var stopwatch = Stopwatch.StartNew();
            var predicted = new IntentTrainer(options).CrossValidate(examples, folds);
            stopwatch.Stop();
            var report = ClassificationReport.Compute(gold, predicted);
            results.Add(new Candidate(options, report.Accuracy, report.MacroF1, stopwatch.Elapsed));
        }
        return results;
    }

    public static Candidate Best(IReadOnlyList<Candidate> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("No candidates.", nameof(results));
        var best = results[0];
        foreach (var r in results.Skip(1))
        {
            if (r.Accuracy > best.Accuracy + 1e-12 || (Math.Abs(r.Accuracy - best.Accuracy) <= 1e-12 && r.MacroF1 > best.MacroF1 + 1e-12)) best = r;
        }
        return best;
    }

    public sealed record Candidate(IntentTrainerOptions Options, double Accuracy, double MacroF1, TimeSpan Elapsed)
    {
        public string Describe() => FormattableString.Invariant(
            $"{Options.Trainer} L2={Options.L2} L1={Options.L1} it={Options.MaxIterations} uw={Options.Features.UnigramWeight} bw={Options.Features.BigramWeight} cw={Options.Features.CharNgramWeight} c={Options.Features.MinCharNgram}-{Options.Features.MaxCharNgram}");
    }
}
