using CcBot.Nlu;

namespace CcBot.Bench;

/// <summary>Finds data/nlu above the working or output directory (BenchmarkDotNet runs from a generated folder). Override with CCBOT_DATA_DIR.</summary>
internal static class NluBenchmarkData
{
    public static string DataDir()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CCBOT_DATA_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "data", "nlu", "train.tsv"))) return Path.Combine(dir.FullName, "data");
            }
        }
        throw new InvalidOperationException("data/nlu/train.tsv not found; set CCBOT_DATA_DIR.");
    }

    /// <summary>Exactly 1,000 training examples spread evenly over the file (all intents represented).</summary>
    public static TrainingExample[] ThousandExamples()
    {
        var all = TrainingData.LoadTsv(Path.Combine(DataDir(), NluEngine.TrainRelativePath));
        if (all.Count < 1000) throw new InvalidOperationException("train.tsv has fewer than 1,000 examples.");
        return Enumerable.Range(0, 1000).Select(k => all[(int)((long)k * all.Count / 1000)]).ToArray();
    }
}
