using System.Globalization;

namespace CcBot.Nlu;

public sealed record IntentMetrics(string Intent, double Precision, double Recall, double F1, int Support);

/// <summary>Accuracy, macro-F1, per-intent precision/recall/F1/support and the confusion matrix (rows = gold, columns = predicted).</summary>
public sealed class ClassificationReport
{
    private ClassificationReport(IReadOnlyList<string> labels, int[,] confusion, IReadOnlyList<IntentMetrics> perIntent, double accuracy, double macroF1, int total)
    {
        Labels = labels;
        Confusion = confusion;
        PerIntent = perIntent;
        Accuracy = accuracy;
        MacroF1 = macroF1;
        Total = total;
    }

    public IReadOnlyList<string> Labels { get; }

    public int[,] Confusion { get; }

    public IReadOnlyList<IntentMetrics> PerIntent { get; }

    public double Accuracy { get; }

    /// <summary>Mean F1 over intents that occur in the gold labels.</summary>
    public double MacroF1 { get; }

    public int Total { get; }

    public static ClassificationReport Compute(IReadOnlyList<string> gold, IReadOnlyList<string> predicted, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(predicted);
        if (gold.Count != predicted.Count) throw new ArgumentException("Gold and predicted label lists differ in length.");
        var names = (labels ?? IntentTrainer.OrderClasses(gold.Concat(predicted))).ToList();
        foreach (var extra in gold.Concat(predicted).Distinct(StringComparer.Ordinal).Where(l => !names.Contains(l))) names.Add(extra);
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var confusion = new int[names.Count, names.Count];
        var correct = 0;
        for (var i = 0; i < gold.Count; i++)
        {
            confusion[index[gold[i]], index[predicted[i]]]++;
            if (gold[i] == predicted[i]) correct++;
        }

        var metrics = new List<IntentMetrics>();
        for (var k = 0; k < names.Count; k++)
        {
            int tp = confusion[k, k], support = 0, predictedCount = 0;
            for (var j = 0; j < names.Count; j++)
            {
                support += confusion[k, j];
                predictedCount += confusion[j, k];
            }
            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            metrics.Add(new IntentMetrics(names[k], precision, recall, f1, support));
        }
        var withSupport = metrics.Where(m => m.Support > 0).ToArray();
        var macro = withSupport.Length == 0 ? 0 : withSupport.Average(m => m.F1);
        return new ClassificationReport(names, confusion, metrics, gold.Count == 0 ? 0 : (double)correct / gold.Count, macro, gold.Count);
    }

    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"Accuracy: {Accuracy:0.0000} ({Total} câu)"));
        output.WriteLine(string.Create(inv, $"Macro-F1: {MacroF1:0.0000}"));
        output.WriteLine();
        var width = Math.Max(14, Labels.Max(l => l.Length) + 1);
        output.WriteLine($"{"Ý định".PadRight(width)} Precision  Recall      F1  Support");
        foreach (var m in PerIntent)
        {
            output.WriteLine(string.Create(inv, $"{m.Intent.PadRight(width)} {m.Precision,9:0.000} {m.Recall,7:0.000} {m.F1,7:0.000} {m.Support,8}"));
        }
        output.WriteLine();
        output.WriteLine("Ma trận nhầm lẫn (hàng = nhãn đúng, cột = dự đoán):");
        var codes = Labels.Select((_, i) => $"{i,3}").ToArray();
        output.WriteLine($"{"".PadRight(width + 4)}{string.Concat(codes)}");
        for (var r = 0; r < Labels.Count; r++)
        {
            output.Write($"{r,3} {Labels[r].PadRight(width)}");
            for (var c = 0; c < Labels.Count; c++) output.Write(Confusion[r, c] == 0 ? "  ." : $"{Confusion[r, c],3}");
            output.WriteLine();
        }
    }
}
