using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

public sealed class SoftmaxProblemTests
{
    [Fact]
    public void Analytic_gradient_matches_numerical_gradient()
    {
        // 5 examples, 4 features, 3 classes.
        int[][] indices = [[0, 2], [1], [1, 3], [0, 1, 2, 3], [3]];
        float[][] values = [[0.6f, 0.8f], [1f], [0.5f, 0.5f], [0.3f, 0.2f, 0.1f, 0.9f], [1f]];
        int[] labels = [0, 1, 2, 1, 2];
        var problem = new SoftmaxProblem(4, 3, indices, values, labels, l2: 0.05);
        var random = new Random(7);
        var w = new double[problem.ParameterCount];
        for (var f = 0; f <= problem.FeatureCount; f++)
        {
            for (var c = 0; c < problem.ClassCount; c++) w[problem.Offset(f, c)] = random.NextDouble() * 2 - 1;
        }

        var analytic = new double[w.Length];
        problem.LossAndGradient(w, analytic);
        var scratch = new double[w.Length];
        const double h = 1e-5;
        var checkedCount = 0;
        for (var f = 0; f <= problem.FeatureCount; f++)
        {
            for (var c = 0; c < problem.ClassCount; c++)
            {
                var p = problem.Offset(f, c);
                var saved = w[p];
                w[p] = saved + h;
                var plus = problem.LossAndGradient(w, scratch);
                w[p] = saved - h;
                var minus = problem.LossAndGradient(w, scratch);
                w[p] = saved;
                var numeric = (plus - minus) / (2 * h);
                var relative = Math.Abs(numeric - analytic[p]) / Math.Max(1e-8, Math.Abs(numeric) + Math.Abs(analytic[p]));
                relative.Should().BeLessThan(1e-4, $"parameter (feature {f}, class {c}): numeric {numeric}, analytic {analytic[p]}");
                checkedCount++;
            }
        }
        checkedCount.Should().Be(15);
    }

    [Fact]
    public void Minimizer_drives_the_loss_down_on_a_separable_problem()
    {
        int[][] indices = [[0], [1], [2], [0], [1], [2]];
        float[][] values = [[1f], [1f], [1f], [1f], [1f], [1f]];
        int[] labels = [0, 1, 2, 0, 1, 2];
        var problem = new SoftmaxProblem(3, 3, indices, values, labels, l2: 1e-4);
        var w = new double[problem.ParameterCount];
        var start = problem.LossAndGradient(w, new double[w.Length]);
        var (loss, _) = new LbfgsMinimizer(new LbfgsOptions()).Minimize(problem.LossAndGradient, w);
        start.Should().BeApproximately(Math.Log(3), 1e-12);
        loss.Should().BeLessThan(0.05);
    }
}
