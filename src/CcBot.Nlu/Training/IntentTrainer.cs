namespace CcBot.Nlu;

/// <summary>
/// Trains an <see cref="IntentModel"/>: our normalizer and hashed features (accented and folded words, bigrams,
/// character n-grams) → the buckets seen in training, renumbered compactly → an ML.NET multiclass trainer
/// (<see cref="IntentTrainerOptions.Trainer"/>) → softmax temperature fitted on held-out folds.
/// </summary>
public sealed class IntentTrainer
{
    private readonly IntentTrainerOptions _options;
    private readonly TextNormalizer _normalizer;
    private readonly FeatureExtractor _extractor;

    public IntentTrainer(IntentTrainerOptions? options = null, TextNormalizer? normalizer = null)
    {
        _options = options ?? new IntentTrainerOptions();
        _options.Validate();
        _normalizer = normalizer ?? new TextNormalizer();
        _extractor = new FeatureExtractor(_options.Features);
    }

    public IntentTrainerOptions Options => _options;

    public IntentModel Train(IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("No training examples.", nameof(examples));
        var classes = OrderClasses(examples.Select(e => e.Intent));
        if (classes.Count < 2) throw new ArgumentException("Training needs at least two intents.", nameof(examples));
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var vectors = examples.Select(e => _extractor.Extract(_normalizer.Normalize(e.Text))).ToArray();
        var labels = examples.Select(e => classIndex[e.Intent]).ToArray();
        var all = Enumerable.Range(0, examples.Count).ToArray();

        var fitted = Fit(vectors, labels, classes.Count, all);
        var temperature = Calibrate(examples, vectors, labels, classes.Count);
        var hash = TrainingData.ComputeHash(examples, _options.Fingerprint);
        return IntentModel.FromTrained(_options, classes, temperature, hash, fitted.FeatureMap, fitted.Model, _normalizer);
    }

    /// <summary>Trains on the examples outside each fold and predicts the fold: returns the held-out predicted intent per example.</summary>
    public string[] CrossValidate(IReadOnlyList<TrainingExample> examples, int folds)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var noCalibration = _options with { CalibrationFolds = 0 };
        var trainer = new IntentTrainer(noCalibration, _normalizer);
        var assignment = StratifiedFolds.Assign(examples.Select(e => e.Intent).ToArray(), folds, _options.Seed);
        var predicted = new string[examples.Count];
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, f =>
        {
            var train = examples.Where((_, i) => assignment[i] != f).ToArray();
            var model = trainer.Train(train);
            for (var i = 0; i < examples.Count; i++)
            {
                if (assignment[i] == f) predicted[i] = model.Predict(examples[i].Text).Intent;
            }
        });
        return predicted;
    }

    internal static IReadOnlyList<string> OrderClasses(IEnumerable<string> intents)
    {
        var distinct = intents.Distinct(StringComparer.Ordinal).ToList();
        return distinct
            .OrderBy(i => IntentNames.IsKnown(i) ? IntentNames.All.ToList().IndexOf(i) : int.MaxValue)
            .ThenBy(i => i, StringComparer.Ordinal)
            .ToArray();
    }

    private double Calibrate(IReadOnlyList<TrainingExample> examples, SparseVector[] vectors, int[] labels, int classCount)
    {
        var folds = _options.CalibrationFolds;
        if (folds < 2 || examples.Count < folds * 2) return 1.0;
        var assignment = StratifiedFolds.Assign(examples.Select(e => e.Intent).ToArray(), folds, _options.Seed);

        // Folds are independent, so they run in parallel; results are gathered in fold order (deterministic).
        var perFold = new (List<double[]> Logits, List<int> Labels)[folds];
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, f =>
        {
            var trainIdx = Enumerable.Range(0, examples.Count).Where(i => assignment[i] != f).ToArray();
            var fitted = Fit(vectors, labels, classCount, trainIdx);
            var logits = new List<double[]>();
            var gold = new List<int>();
            for (var i = 0; i < examples.Count; i++)
            {
                if (assignment[i] != f) continue;
                logits.Add(fitted.Logits(vectors[i], classCount));
                gold.Add(labels[i]);
            }
            perFold[f] = (logits, gold);
        });
        var heldLogits = perFold.SelectMany(p => p.Logits).ToList();
        var heldLabels = perFold.SelectMany(p => p.Labels).ToList();
        return TemperatureCalibrator.Fit(heldLogits, heldLabels);
    }

    private Fitted Fit(SparseVector[] vectors, int[] labels, int classCount, int[] subset)
    {
        // Only buckets that occur in the training rows can get a weight: renumber them 0..n-1 so ML.NET trains
        // n × classes weights instead of 2^HashBits × classes. The map is stored with the model.
        var featureMap = subset.SelectMany(i => vectors[i].Indices).Distinct().Order().ToArray();
        var rows = new SparseVector[subset.Length];
        var y = new int[subset.Length];
        for (var k = 0; k < subset.Length; k++)
        {
            rows[k] = Compact(vectors[subset[k]], featureMap);
            y[k] = labels[subset[k]];
        }
        var model = MlNetSoftmax.Fit(rows, y, classCount, featureMap.Length, _options);
        return new Fitted(featureMap, model);
    }

    /// <summary>Maps bucket indices to positions in <paramref name="featureMap"/> (sorted), dropping unknown buckets.</summary>
    internal static SparseVector Compact(SparseVector v, int[] featureMap)
    {
        var pairs = new List<(int Index, float Value)>(v.Count);
        for (var k = 0; k < v.Count; k++)
        {
            var row = Array.BinarySearch(featureMap, v.Indices[k]);
            if (row >= 0) pairs.Add((row, v.Values[k]));
        }
        pairs.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new SparseVector(pairs.Select(p => p.Index).ToArray(), pairs.Select(p => p.Value).ToArray());
    }

    private sealed record Fitted(int[] FeatureMap, MlNetSoftmax.Trained Model)
    {
        public double[] Logits(SparseVector v, int classCount)
        {
            var z = new double[classCount];
            for (var j = 0; j < classCount; j++) z[j] = Model.Bias[j];
            for (var k = 0; k < v.Indices.Length; k++)
            {
                var row = Array.BinarySearch(FeatureMap, v.Indices[k]);
                if (row < 0) continue;
                for (var j = 0; j < classCount; j++) z[j] += v.Values[k] * Model.Weights[row * classCount + j];
            }
            return z;
        }
    }
}
