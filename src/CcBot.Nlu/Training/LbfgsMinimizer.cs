namespace CcBot.Nlu;

/// <summary>Settings of <see cref="LbfgsMinimizer"/>.</summary>
public sealed record LbfgsOptions
{
    public int MaxIterations { get; init; } = 120;

    public int History { get; init; } = 8;

    /// <summary>Stop when the relative decrease of the loss over one iteration falls below this.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>Stop when ‖g‖∞ falls below this.</summary>
    public double GradientTolerance { get; init; } = 1e-6;
}

/// <summary>Limited-memory BFGS with a backtracking (Armijo) line search. Fully deterministic.</summary>
public sealed class LbfgsMinimizer
{
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    private readonly LbfgsOptions _options;

    public LbfgsMinimizer(LbfgsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Minimizes <paramref name="f"/> starting from (and overwriting) <paramref name="x"/>. Returns the final loss and iteration count.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public (double Loss, int Iterations) Minimize(Objective f, double[] x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        var n = x.Length;
        var m = _options.History;
        var s = new double[m][];
        var y = new double[m][];
        var rho = new double[m];
        var alpha = new double[m];
        for (var i = 0; i < m; i++)
        {
            s[i] = new double[n];
            y[i] = new double[n];
        }
        var g = new double[n];
        var gNew = new double[n];
        var d = new double[n];
        var xNew = new double[n];
        var loss = f(x, g);
        var stored = 0;
        var head = 0;
        var iteration = 0;

        for (; iteration < _options.MaxIterations; iteration++)
        {
            if (MaxAbs(g) < _options.GradientTolerance) break;

            // Two-loop recursion: d = -H g
            for (var i = 0; i < n; i++) d[i] = -g[i];
            for (var k = 0; k < stored; k++)
            {
                var j = (head - 1 - k + m) % m;
                alpha[j] = rho[j] * Dot(s[j], d);
                Axpy(-alpha[j], y[j], d);
            }
            if (stored > 0)
            {
                var last = (head - 1 + m) % m;
                var gamma = Dot(s[last], y[last]) / Dot(y[last], y[last]);
                for (var i = 0; i < n; i++) d[i] *= gamma;
            }
            else
            {
                var scale = 1.0 / Math.Max(1.0, Math.Sqrt(Dot(g, g)));
                for (var i = 0; i < n; i++) d[i] *= scale;
            }
            for (var k = stored - 1; k >= 0; k--)
            {
                var j = (head - 1 - k + m) % m;
                var beta = rho[j] * Dot(y[j], d);
                Axpy(alpha[j] - beta, s[j], d);
            }

            var slope = Dot(g, d);
            if (slope >= 0)
            {
                // Not a descent direction: restart from steepest descent.
                stored = 0;
                for (var i = 0; i < n; i++) d[i] = -g[i];
                slope = Dot(g, d);
            }

            var step = 1.0;
            double newLoss;
            var accepted = false;
            for (var tries = 0; ; tries++)
            {
                Array.Copy(x, xNew, n);
                VectorMath.AddScaled(d, step, xNew);
                newLoss = f(xNew, gNew);
                if (newLoss <= loss + 1e-4 * step * slope) { accepted = true; break; }
                if (tries >= 30) break;
                step *= 0.5;
            }
            if (!accepted) break;

            var sj = s[head];
            var yj = y[head];
            for (var i = 0; i < n; i++)
            {
                sj[i] = xNew[i] - x[i];
                yj[i] = gNew[i] - g[i];
            }
            var sy = Dot(sj, yj);
            if (sy > 1e-12)
            {
                rho[head] = 1.0 / sy;
                head = (head + 1) % m;
                stored = Math.Min(stored + 1, m);
            }

            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            var decrease = (loss - newLoss) / Math.Max(Math.Abs(loss), 1e-12);
            loss = newLoss;
            if (decrease < _options.RelativeTolerance) { iteration++; break; }
        }
        return (loss, iteration);
    }

    private static double Dot(double[] a, double[] b) => VectorMath.Dot(a, b);

    private static void Axpy(double a, double[] x, double[] y) => VectorMath.AddScaled(x, a, y);

    private static double MaxAbs(double[] a)
    {
        double max = 0;
        foreach (var v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
