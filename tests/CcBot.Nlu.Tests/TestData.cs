using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

/// <summary>Locates the repository's data folder from the test output directory.</summary>
internal static class TestData
{
    public static string DataDir { get; } = FindDataDir();

    public static string TrainPath => Path.Combine(DataDir, "nlu", "train.tsv");

    public static string TestPath => Path.Combine(DataDir, "nlu", "test.tsv");

    public static string OffTopicPath => Path.Combine(DataDir, "nlu", "offtopic_heldout.tsv");

    public static string FaqPath => Path.Combine(DataDir, "faq", "faq.tsv");

    private static string FindDataDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "data", "nlu", "train.tsv");
            if (File.Exists(candidate)) return Path.Combine(dir.FullName, "data");
            dir = dir.Parent;
        }
        throw new InvalidOperationException("data/nlu/train.tsv not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Trains the production model once for all tests in the collection.</summary>
public sealed class ModelFixture
{
    public ModelFixture()
    {
        Train = TrainingData.LoadTsv(TestData.TrainPath);
        Test = TrainingData.LoadTsv(TestData.TestPath);
        OffTopic = TrainingData.LoadTsv(TestData.OffTopicPath);
        Faq = FaqData.LoadTsv(TestData.FaqPath);
        Model = new IntentTrainer().Train(Train);
    }

    public IReadOnlyList<TrainingExample> Train { get; }

    public IReadOnlyList<TrainingExample> Test { get; }

    public IReadOnlyList<TrainingExample> OffTopic { get; }

    public IReadOnlyList<FaqDocument> Faq { get; }

    public IntentModel Model { get; }
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>
{
    public const string Name = "trained model";
}
