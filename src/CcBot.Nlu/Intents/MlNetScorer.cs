using Microsoft.ML;
using Microsoft.ML.Data;

namespace CcBot.Nlu;

/// <summary>
/// ML.NET's <see cref="PredictionEngine{TSrc,TDst}"/> over an <see cref="IntentModel"/>: the same features, scored by
/// ML.NET instead of by the model's direct sparse × dense product. Not thread-safe (as the engine is not).
/// </summary>
public sealed class MlNetScorer : IDisposable
{
    private readonly PredictionEngine<MlNetSoftmax.Row, MlNetSoftmax.ScoreRow> _engine;
    private readonly Func<string, SparseVector> _features;
    private readonly int _dimension;

    internal MlNetScorer(PredictionEngine<MlNetSoftmax.Row, MlNetSoftmax.ScoreRow> engine, int dimension, Func<string, SparseVector> features)
    {
        _engine = engine;
        _dimension = dimension;
        _features = features;
    }

    /// <summary>Softmax probabilities (no temperature), in the model's class order.</summary>
    public float[] Score(string text)
    {
        var v = _features(text);
        var row = new MlNetSoftmax.Row { Features = new VBuffer<float>(_dimension, v.Count, v.Values, v.Indices) };
        return _engine.Predict(row).Score;
    }

    public void Dispose() => _engine.Dispose();
}
