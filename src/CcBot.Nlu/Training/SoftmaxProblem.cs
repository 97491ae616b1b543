namespace CcBot.Nlu;

/// <summary>
/// L2-regularized multinomial logistic regression loss over compact sparse examples.
/// Parameters are laid out as <c>w[f * C + c]</c> for f &lt; <see cref="FeatureCount"/>, followed by C biases.
/// Loss = mean cross-entropy + (λ/2)·‖W‖² (biases are not regularized). Summation order is fixed, so results are deterministic.
/// </summary>
public sealed class SoftmaxProblem
{
    private readonly int[][] _indices;
    private readonly float[][] _values;
    private readonly int[] _labels;

    public SoftmaxProblem(int featureCount, int classCount, int[][] indices, float[][] values, int[] labels, double l2)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(labels);
        if (indices.Length != values.Length || indices.Length != labels.Length) throw new ArgumentException("Examples, values and labels differ in length.");
        if (labels.Length == 0) throw new ArgumentException("No examples.", nameof(labels));
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        FeatureCount = featureCount;
        ClassCount = classCount;
        _indices = indices;
        _values = values;
        _labels = labels;
        L2 = l2;
    }

    public int FeatureCount { get; }

    public int ClassCount { get; }

    public double L2 { get; }

    public int ExampleCount => _labels.Length;

    public int ParameterCount => (FeatureCount + 1) * ClassCount;

    /// <summary>Returns the loss at <paramref name="w"/> and writes its gradient into <paramref name="gradient"/>.</summary>
    public double LossAndGradient(ReadOnlySpan<double> w, Span<double> gradient)
    {
        if (w.Length != ParameterCount || gradient.Length != ParameterCount) throw new ArgumentException("Parameter vector has the wrong length.");
        var c = ClassCount;
        var biasOffset = FeatureCount * c;
        gradient.Clear();
        Span<double> z = c <= 64 ? stackalloc double[c] : new double[c];
        var invN = 1.0 / _labels.Length;
        double loss = 0;

        for (var i = 0; i < _labels.Length; i++)
        {
            var idx = _indices[i];
            var val = _values[i];
            w.Slice(biasOffset, c).CopyTo(z);
            for (var k = 0; k < idx.Length; k++)
            {
                var row = w.Slice(idx[k] * c, c);
                double v = val[k];
                for (var j = 0; j < c; j++) z[j] += v * row[j];
            }

            var max = double.NegativeInfinity;
            for (var j = 0; j < c; j++) max = Math.Max(max, z[j]);
            double sum = 0;
            for (var j = 0; j < c; j++)
            {
                z[j] = Math.Exp(z[j] - max);
                sum += z[j];
            }
            var y = _labels[i];
            loss += Math.Log(sum) - Math.Log(z[y]);

            // z becomes (p - onehot) / N
            var invSum = 1.0 / sum;
            for (var j = 0; j < c; j++) z[j] = z[j] * invSum * invN;
            z[y] -= invN;

            for (var k = 0; k < idx.Length; k++)
            {
                var g = gradient.Slice(idx[k] * c, c);
                double v = val[k];
                for (var j = 0; j < c; j++) g[j] += v * z[j];
            }
            var gb = gradient.Slice(biasOffset, c);
            for (var j = 0; j < c; j++) gb[j] += z[j];
        }

        loss *= invN;
        if (L2 > 0)
        {
            double reg = 0;
            for (var p = 0; p < biasOffset; p++)
            {
                reg += w[p] * w[p];
                gradient[p] += L2 * w[p];
            }
            loss += 0.5 * L2 * reg;
        }
        return loss;
    }

    /// <summary>Raw scores (logits) of example-like sparse input under parameters <paramref name="w"/>.</summary>
    public void Logits(ReadOnlySpan<double> w, int[] indices, float[] values, Span<double> logits)
    {
        var c = ClassCount;
        w.Slice(FeatureCount * c, c).CopyTo(logits);
        for (var k = 0; k < indices.Length; k++)
        {
            if (indices[k] < 0) continue;
            var row = w.Slice(indices[k] * c, c);
            double v = values[k];
            for (var j = 0; j < c; j++) logits[j] += v * row[j];
        }
    }
}
