using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CcBot.Nlu;

/// <summary>
/// L2-regularized multinomial logistic regression loss over compact sparse examples.
/// Parameters are laid out row by row: <c>w[f * Stride + c]</c> for feature f &lt; <see cref="FeatureCount"/> and class c,
/// followed by one row of biases. <see cref="Stride"/> is the class count rounded up to the SIMD width; padding
/// entries have zero gradient and stay zero. Loss = mean cross-entropy + (λ/2)·‖W‖² (biases are not regularized).
/// Summation order is fixed, so results are deterministic.
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
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount) throw new ArgumentOutOfRangeException(nameof(labels), "Label out of range.");
            if (indices[i].Length != values[i].Length) throw new ArgumentException("Indices and values differ in length.");
            foreach (var f in indices[i])
            {
                if ((uint)f >= (uint)featureCount) throw new ArgumentOutOfRangeException(nameof(indices), "Feature index out of range.");
            }
        }
        FeatureCount = featureCount;
        ClassCount = classCount;
        var lanes = Vector<double>.Count;
        Stride = (classCount + lanes - 1) / lanes * lanes;
        _indices = indices;
        _values = values;
        _labels = labels;
        L2 = l2;
    }

    public int FeatureCount { get; }

    public int ClassCount { get; }

    /// <summary>Row length in the parameter vector (class count padded to the SIMD width).</summary>
    public int Stride { get; }

    public double L2 { get; }

    public int ExampleCount => _labels.Length;

    public int ParameterCount => (FeatureCount + 1) * Stride;

    /// <summary>Offset of class <paramref name="c"/>'s weight for feature <paramref name="f"/> (f = FeatureCount: bias).</summary>
    public int Offset(int f, int c) => f * Stride + c;

    /// <summary>Returns the loss at <paramref name="w"/> and writes its gradient into <paramref name="gradient"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double LossAndGradient(ReadOnlySpan<double> w, Span<double> gradient)
    {
        if (w.Length != ParameterCount || gradient.Length != ParameterCount) throw new ArgumentException("Parameter vector has the wrong length.");
        var c = ClassCount;
        var perRow = Stride / Vector<double>.Count;
        var wv = MemoryMarshal.Cast<double, Vector<double>>(w);
        var gv = MemoryMarshal.Cast<double, Vector<double>>(gradient);
        var biasRow = FeatureCount * perRow;
        gradient.Clear();
        Span<Vector<double>> zv = perRow <= 64 ? stackalloc Vector<double>[perRow] : new Vector<double>[perRow];
        var z = MemoryMarshal.Cast<Vector<double>, double>(zv);
        var invN = 1.0 / _labels.Length;
        double loss = 0;

        for (var i = 0; i < _labels.Length; i++)
        {
            var idx = _indices[i];
            var val = _values[i];
            for (var j = 0; j < perRow; j++) zv[j] = wv[biasRow + j];
            for (var k = 0; k < idx.Length; k++)
            {
                var v = new Vector<double>(val[k]);
                var row = idx[k] * perRow;
                for (var j = 0; j < perRow; j++) zv[j] += wv[row + j] * v;
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

            // z becomes (p - onehot) / N; padding entries are zero.
            var scale = invN / sum;
            for (var j = 0; j < c; j++) z[j] *= scale;
            for (var j = c; j < z.Length; j++) z[j] = 0;
            z[y] -= invN;

            for (var k = 0; k < idx.Length; k++)
            {
                var v = new Vector<double>(val[k]);
                var row = idx[k] * perRow;
                for (var j = 0; j < perRow; j++) gv[row + j] += zv[j] * v;
            }
            for (var j = 0; j < perRow; j++) gv[biasRow + j] += zv[j];
        }

        loss *= invN;
        if (L2 > 0)
        {
            var weightCount = FeatureCount * Stride;
            var weights = w[..weightCount];
            VectorMath.AddScaled(weights, L2, gradient[..weightCount]);
            loss += 0.5 * L2 * VectorMath.Dot(weights, weights);
        }
        return loss;
    }
}
