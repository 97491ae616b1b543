namespace CcBot.Nlu;

/// <summary>
/// Trains an <see cref="IntentModel"/>: hashed features → compact feature space → L-BFGS on the
/// L2-regularized softmax loss (zero start, fixed summation order: same data gives bit-identical weights)
/// → temperature fitted on held-out folds.
/// </summary>
public sealed class IntentTrainer
{
    private readonly IntentTrainerOptions _options;
    private readonly TextNormalizer _normalizer;
    private readonly FeatureExtractor _extractor;

    public IntentTrainer(IntentTrainerOptions? options = null, TextNormalizer? normalizer = null)
    {
        _options = options ?? new IntentTrainerOptions();
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

        var fitted = Fit(vectors, labels, classes.Count, all, _options.Optimizer);
        var temperature = Calibrate(examples, vectors, labels, classes.Count);
        var hash = TrainingData.ComputeHash(examples, _options.Fingerprint);

        var c = classes.Count;
        var rows = fitted.FeatureMap;
        var rowWeights = new float[rows.Length * c];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var j = 0; j < c; j++) rowWeights[r * c + j] = (float)fitted.Weights[r * fitted.Stride + j];
        }
        var bias = new float[c];
        for (var j = 0; j < c; j++) bias[j] = (float)fitted.Weights[rows.Length * fitted.Stride + j];
        return new IntentModel(_options.Features, classes, temperature, hash, rows, rowWeights, bias, _normalizer);
    }

    /// <summary>Trains on the examples outside each fold and predicts the fold: returns the held-out predicted intent per example.</summary>
    public string[] CrossValidate(IReadOnlyList<TrainingExample> examples, int folds)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var noCalibration = _options with { CalibrationFolds = 0 };
        var trainer = new IntentTrainer(noCalibration, _normalizer);
        var assignment = StratifiedFolds.Assign(examples.Select(e => e.Intent).ToArray(), folds, _options.Seed);
        var predicted = new string[examples.Count];
        for (var f = 0; f < folds; f++)
        {
            var train = examples.Where((_, i) => assignment[i] != f).ToArray();
            var model = trainer.Train(train);
            for (var i = 0; i < examples.Count; i++)
            {
                if (assignment[i] == f) predicted[i] = model.Predict(examples[i].Text).Intent;
            }
        }
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
        var optimizer = _options.Optimizer with { MaxIterations = Math.Min(_options.Optimizer.MaxIterations, _options.CalibrationMaxIterations) };

        // Folds are independent, so they run in parallel; results are gathered in fold order (deterministic).
        var perFold = new (List<double[]> Logits, List<int> Labels)[folds];
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, f =>
        {
            var trainIdx = Enumerable.Range(0, examples.Count).Where(i => assignment[i] != f).ToArray();
            var fitted = Fit(vectors, labels, classCount, trainIdx, optimizer);
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

    private FittedWeights Fit(SparseVector[] vectors, int[] labels, int classCount, int[] subset, LbfgsOptions optimizer)
    {
        var featureMap = subset.SelectMany(i => vectors[i].Indices).Distinct().Order().ToArray();
        var compact = new int[subset.Length][];
        var values = new float[subset.Length][];
        var y = new int[subset.Length];
        for (var k = 0; k < subset.Length; k++)
        {
            var v = vectors[subset[k]];
            compact[k] = v.Indices.Select(i => Array.BinarySearch(featureMap, i)).ToArray();
            values[k] = v.Values;
            y[k] = labels[subset[k]];
        }
        var problem = new SoftmaxProblem(featureMap.Length, classCount, compact, values, y, _options.L2);
        var w = new double[problem.ParameterCount];
        new LbfgsMinimizer(optimizer).Minimize(problem.LossAndGradient, w);
        return new FittedWeights(featureMap, w, problem.Stride);
    }

    private sealed record FittedWeights(int[] FeatureMap, double[] Weights, int Stride)
    {
        public double[] Logits(SparseVector v, int classCount)
        {
            var z = new double[classCount];
            var biasOffset = FeatureMap.Length * Stride;
            for (var j = 0; j < classCount; j++) z[j] = Weights[biasOffset + j];
            for (var k = 0; k < v.Indices.Length; k++)
            {
                var row = Array.BinarySearch(FeatureMap, v.Indices[k]);
                if (row < 0) continue;
                for (var j = 0; j < classCount; j++) z[j] += v.Values[k] * Weights[row * Stride + j];
            }
            return z;
        }
    }
}
