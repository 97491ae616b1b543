using System.Numerics;
using System.Runtime.InteropServices;

namespace CcBot.Nlu;

/// <summary>
/// A trained softmax intent classifier. Prediction: normalize → hashed features (pooled buffers) →
/// sparse × dense weight matrix [buckets × classes] → softmax(z / T). Immutable and thread-safe.
/// <para>Calibration: the confidence is softmax(z / T) with the temperature T fitted on held-out
/// cross-validation folds of the training data (see <see cref="TemperatureCalibrator"/>).</para>
/// <para>The weights come from an ML.NET linear multiclass model (<see cref="IntentTrainer"/>); prediction scores
/// those weights directly instead of going through a <c>PredictionEngine</c> (which is per thread and allocates
/// a data view row per call). <see cref="ScoreWithMlNet"/> runs ML.NET's own scoring for comparison.</para>
/// </summary>
public sealed class IntentModel : IIntentClassifier
{
    private readonly TextNormalizer _normalizer;
    private readonly FeatureExtractor _extractor;
    private readonly string[] _classes;
    private readonly int[] _rows;
    private readonly float[] _rowWeights;
    private readonly float[] _bias;
    private readonly float[] _dense;
    private readonly int _stride;
    private readonly float _inverseTemperature;

    internal IntentModel(FeatureOptions features, IReadOnlyList<string> classes, double temperature, string trainingDataHash,
        int[] rows, float[] rowWeights, float[] bias, byte[] package, string trainer, TextNormalizer? normalizer = null)
    {
        Package = package;
        Trainer = trainer;
        ArgumentNullException.ThrowIfNull(classes);
        if (rowWeights.Length != rows.Length * classes.Count || bias.Length != classes.Count) throw new ArgumentException("Weight shapes do not match the class count.");
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature));
        _normalizer = normalizer ?? new TextNormalizer();
        _extractor = new FeatureExtractor(features);
        _classes = classes.ToArray();
        _rows = rows;
        _rowWeights = rowWeights;
        _bias = bias;
        Temperature = temperature;
        TrainingDataHash = trainingDataHash;
        _inverseTemperature = (float)(1.0 / temperature);

        var c = _classes.Length;
        var lanes = Vector<float>.Count;
        _stride = (c + lanes - 1) / lanes * lanes;
        _dense = new float[(long)features.Dimension * _stride <= int.MaxValue ? features.Dimension * _stride : throw new ArgumentException("Model too large.")];
        for (var r = 0; r < rows.Length; r++)
        {
            if ((uint)rows[r] >= (uint)features.Dimension) throw new ArgumentException("Feature index out of range.");
            Array.Copy(rowWeights, r * c, _dense, rows[r] * _stride, c);
        }
    }

    public IReadOnlyList<string> Intents => _classes;

    public FeatureOptions Features => _extractor.Options;

    /// <summary>Softmax temperature fitted on held-out folds (1 = uncalibrated).</summary>
    public double Temperature { get; }

    /// <summary>SHA-256 (hex) of the training examples and trainer settings.</summary>
    public string TrainingDataHash { get; }

    /// <summary>The ML.NET trainer that produced the weights.</summary>
    public string Trainer { get; }

    /// <summary>The saved model: ML.NET's zip format plus a <c>CcBot/intent-model.json</c> entry (see <see cref="IntentModelPackage"/>).</summary>
    internal byte[] Package { get; }

    internal int[] Rows => _rows;

    internal float[] RowWeights => _rowWeights;

    internal float[] Bias => _bias;

    public static IntentModel Train(IReadOnlyList<TrainingExample> examples, IntentTrainerOptions? options = null)
        => new IntentTrainer(options).Train(examples);

    internal static IntentModel FromTrained(IntentTrainerOptions options, IReadOnlyList<string> classes, double temperature, string hash,
        int[] featureMap, MlNetSoftmax.Trained trained, TextNormalizer normalizer)
    {
        var metadata = new IntentModelMetadata(IntentModelPackage.FormatVersion, hash, options.Trainer.ToString(), options.Features,
            classes.ToArray(), temperature, featureMap);
        var package = IntentModelPackage.Pack(trained.Package, metadata);
        return new IntentModel(options.Features, classes, temperature, hash, featureMap, trained.Weights, trained.Bias, package,
            metadata.Trainer, normalizer);
    }

    /// <summary>
    /// ML.NET's own scoring of <paramref name="text"/> with the saved model (softmax probabilities before the temperature),
    /// in class order: the reference the direct scoring of <see cref="Predict(string)"/> is checked against.
    /// </summary>
    public IReadOnlyList<float> ScoreWithMlNet(string text)
    {
        using var scorer = CreateMlNetScorer();
        return scorer.Score(text);
    }

    /// <summary>A scorer running ML.NET's <c>PredictionEngine</c> on this model (one per thread); for checks and benchmarks.</summary>
    public MlNetScorer CreateMlNetScorer() =>
        new(MlNetSoftmax.CreatePredictionEngine(Package, _classes.Length, _rows.Length), _rows.Length, text => IntentTrainer.Compact(_extractor.Extract(_normalizer.Normalize(text)), _rows));

    /// <summary>Raw class scores z = W·x + b (before softmax), in class order.</summary>
    public float[] Logits(string text)
    {
        var scores = new float[_stride];
        Score(_normalizer.Normalize(text), scores);
        return scores[.._classes.Length];
    }

    /// <summary>Writes z = W·x + b into <paramref name="scores"/> (length <c>_stride</c>, padded for vector lanes).</summary>
    private void Score(NormalizedText text, Span<float> scores)
    {
        _bias.CopyTo(scores);
        if (!text.IsEmpty)
        {
            using var scratch = new FeatureScratch(_extractor.MaxFeatureCount(text));
            var n = _extractor.Extract(text, scratch);
            Accumulate(scratch.Indices, scratch.Values, n, scores);
        }
    }

    public IntentPrediction Predict(string text) => Predict(_normalizer.Normalize(text));

    public IntentPrediction Predict(NormalizedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var c = _classes.Length;
        Span<float> scores = stackalloc float[_stride];
        Score(text, scores);

        Span<double> p = stackalloc double[c];
        var max = float.NegativeInfinity;
        for (var j = 0; j < c; j++) max = Math.Max(max, scores[j]);
        double sum = 0;
        for (var j = 0; j < c; j++)
        {
            p[j] = Math.Exp((scores[j] - max) * _inverseTemperature);
            sum += p[j];
        }
        for (var j = 0; j < c; j++) p[j] /= sum;
        return BuildPrediction(p);
    }

    private void Accumulate(int[] indices, float[] values, int count, Span<float> scores)
    {
        var lanes = Vector<float>.Count;
        var dense = MemoryMarshal.Cast<float, Vector<float>>(_dense.AsSpan());
        var acc = MemoryMarshal.Cast<float, Vector<float>>(scores);
        var vectorsPerRow = _stride / lanes;
        for (var k = 0; k < count; k++)
        {
            var v = values[k];
            var baseVector = indices[k] * vectorsPerRow;
            for (var j = 0; j < vectorsPerRow; j++) acc[j] += dense[baseVector + j] * v;
        }
    }

    private IntentPrediction BuildPrediction(ReadOnlySpan<double> p)
    {
        var take = Math.Min(3, p.Length);
        var top = new IntentScore[take];
        Span<int> chosen = stackalloc int[take];
        for (var t = 0; t < take; t++)
        {
            var best = -1;
            for (var j = 0; j < p.Length; j++)
            {
                if (chosen[..t].Contains(j)) continue;
                if (best < 0 || p[j] > p[best]) best = j;
            }
            chosen[t] = best;
            top[t] = new IntentScore(_classes[best], p[best]);
        }
        return new IntentPrediction(top[0].Intent, top[0].Confidence, top);
    }

    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Package);
    }

    public static IntentModel Load(Stream stream) => IntentModelPackage.Read(stream);
}
