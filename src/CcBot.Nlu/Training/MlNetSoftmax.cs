using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace CcBot.Nlu;

/// <summary>
/// The ML.NET side of the classifier: feeds compact sparse feature vectors and key-typed labels to an ML.NET
/// multiclass trainer, and reads the linear softmax weights back out of the trained (or loaded) model.
/// </summary>
internal static class MlNetSoftmax
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    /// <summary>Trains on rows whose features are already compact indices in [0, <paramref name="dimension"/>).</summary>
    public static Trained Fit(IReadOnlyList<SparseVector> rows, IReadOnlyList<int> labels, int classCount, int dimension, IntentTrainerOptions options)
    {
        var ml = new MLContext(options.Seed);
        var data = ToDataView(ml, rows, labels, classCount, dimension);
        IEstimator<ITransformer> trainer = options.Trainer switch
        {
            IntentTrainerKind.LbfgsMaximumEntropy => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeaturesColumn,
                L2Regularization = options.L2,
                L1Regularization = options.L1,
                OptimizationTolerance = options.Tolerance,
                MaximumNumberOfIterations = options.MaxIterations,
                NumberOfThreads = 1,
            }),
            IntentTrainerKind.SdcaMaximumEntropy => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeaturesColumn,
                L2Regularization = Math.Max(options.L2, 1e-6f),
                L1Regularization = options.L1,
                ConvergenceTolerance = options.Tolerance,
                MaximumNumberOfIterations = options.MaxIterations,
                NumberOfThreads = 1,
                Shuffle = false,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        var transformer = trainer.Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        var (weights, bias) = ReadWeights(transformer, classCount, dimension);
        return new Trained(stream.ToArray(), weights, bias);
    }

    /// <summary>Loads an ML.NET model saved by <see cref="Fit"/> and returns its weights (row-major [feature × class]) and biases.</summary>
    public static (float[] Weights, float[] Bias) Load(Stream stream, int classCount, int dimension)
    {
        var ml = new MLContext();
        var transformer = ml.Model.Load(stream, out var schema);
        var features = schema.GetColumnOrNull(FeaturesColumn) ?? throw new InvalidDataException("The ML.NET model has no Features input.");
        if (features.Type is not VectorDataViewType { Size: var size } || size != dimension)
        {
            throw new InvalidDataException($"The ML.NET model expects {features.Type} features, the metadata says {dimension}.");
        }
        return ReadWeights(transformer, classCount, dimension);
    }

    /// <summary>ML.NET's own <see cref="PredictionEngine{TSrc,TDst}"/> over a saved model (one per thread: not thread-safe).</summary>
    public static PredictionEngine<Row, ScoreRow> CreatePredictionEngine(byte[] package, int classCount, int dimension)
    {
        var ml = new MLContext();
        using var stream = new MemoryStream(package, writable: false);
        var transformer = ml.Model.Load(stream, out _);
        return ml.Model.CreatePredictionEngine<Row, ScoreRow>(transformer, ignoreMissingColumns: true, inputSchemaDefinition: Schema(classCount, dimension));
    }

    private static (float[] Weights, float[] Bias) ReadWeights(ITransformer transformer, int classCount, int dimension)
    {
        var last = transformer is TransformerChain<ITransformer> chain ? chain.LastTransformer : transformer;
        if (last is not ISingleFeaturePredictionTransformer<object> { Model: LinearMulticlassModelParametersBase linear })
        {
            throw new InvalidDataException($"The ML.NET model is not a linear multiclass model ({last.GetType().Name}).");
        }
        VBuffer<float>[] perClass = [];
        linear.GetWeights(ref perClass, out var n);
        if (n != classCount || perClass.Length != classCount) throw new InvalidDataException($"The ML.NET model has {n} classes, the metadata names {classCount}.");
        var weights = new float[(long)dimension * classCount <= int.MaxValue ? dimension * classCount : throw new InvalidDataException("Model too large.")];
        for (var j = 0; j < classCount; j++)
        {
            var w = perClass[j];
            if (w.Length != dimension) throw new InvalidDataException("The ML.NET model's weight length does not match its features.");
            if (w.IsDense)
            {
                var values = w.GetValues();
                for (var r = 0; r < values.Length; r++) weights[r * classCount + j] = values[r];
            }
            else
            {
                var indices = w.GetIndices();
                var values = w.GetValues();
                for (var k = 0; k < indices.Length; k++) weights[indices[k] * classCount + j] = values[k];
            }
        }
        var bias = linear.GetBiases().ToArray();
        if (bias.Length != classCount) throw new InvalidDataException("The ML.NET model's bias count does not match its classes.");
        return (weights, bias);
    }

    private static SchemaDefinition Schema(int classCount, int dimension)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return definition;
    }

    private static IDataView ToDataView(MLContext ml, IReadOnlyList<SparseVector> rows, IReadOnlyList<int> labels, int classCount, int dimension)
    {
        var definition = Schema(classCount, dimension);
        var data = rows.Select((v, i) => new Row
        {
            Label = (uint)labels[i], // a key field of a loaded POCO is zero-based (class j = key j + 1 inside ML.NET)
            Features = new VBuffer<float>(dimension, v.Count, v.Values, v.Indices),
        });
        return ml.Data.LoadFromEnumerable(data.ToArray(), definition);
    }

    public sealed record Trained(byte[] Package, float[] Weights, float[] Bias);

    public sealed class Row
    {
        [ColumnName(LabelColumn)]
        public uint Label { get; set; }

        [ColumnName(FeaturesColumn)]
        public VBuffer<float> Features { get; set; }
    }

    public sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
