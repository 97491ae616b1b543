using System.Numerics;
using System.Runtime.CompilerServices;

namespace CcBot.Nlu;

/// <summary>SIMD helpers for the trainer. Results are deterministic for a given machine (fixed operation order).</summary>
internal static class VectorMath
{
    /// <summary>y += a·x</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        var i = 0;
        var lanes = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated && x.Length >= lanes)
        {
            var va = new Vector<double>(a);
            for (; i <= x.Length - lanes; i += lanes)
            {
                (new Vector<double>(y[i..]) + new Vector<double>(x[i..]) * va).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var i = 0;
        var lanes = Vector<double>.Count;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= lanes)
        {
            var acc = Vector<double>.Zero;
            for (; i <= x.Length - lanes; i += lanes) acc += new Vector<double>(x[i..]) * new Vector<double>(y[i..]);
            sum = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}
