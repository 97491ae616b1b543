namespace CcBot.Nlu;

/// <summary>
/// Temperature scaling (Guo et al., 2017): finds T minimizing the negative log-likelihood of softmax(z / T)
/// over held-out logits. Golden-section search over log T in [0.05, 20].
/// </summary>
public static class TemperatureCalibrator
{
    public static double Fit(IReadOnlyList<double[]> logits, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Count == 0) return 1.0;
        double lo = Math.Log(0.05), hi = Math.Log(20.0);
        var phi = (Math.Sqrt(5) - 1) / 2;
        var a = hi - phi * (hi - lo);
        var b = lo + phi * (hi - lo);
        var fa = Nll(logits, labels, Math.Exp(a));
        var fb = Nll(logits, labels, Math.Exp(b));
        for (var i = 0; i < 60; i++)
        {
            if (fa <= fb)
            {
                hi = b; b = a; fb = fa;
                a = hi - phi * (hi - lo);
                fa = Nll(logits, labels, Math.Exp(a));
            }
            else
            {
                lo = a; a = b; fa = fb;
                b = lo + phi * (hi - lo);
                fb = Nll(logits, labels, Math.Exp(b));
            }
        }
        return Math.Exp((lo + hi) / 2);
    }

    public static double Nll(IReadOnlyList<double[]> logits, IReadOnlyList<int> labels, double temperature)
    {
        double total = 0;
        for (var i = 0; i < logits.Count; i++)
        {
            var z = logits[i];
            var max = double.NegativeInfinity;
            foreach (var v in z) max = Math.Max(max, v / temperature);
            double sum = 0;
            foreach (var v in z) sum += Math.Exp(v / temperature - max);
            total += Math.Log(sum) + max - z[labels[i]] / temperature;
        }
        return total / logits.Count;
    }
}
