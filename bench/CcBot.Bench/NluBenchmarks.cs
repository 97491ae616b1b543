using BenchmarkDotNet.Attributes;
using CcBot.Nlu;

namespace CcBot.Bench;

/// <summary>
/// Intent prediction throughput: one operation = one message (normalize + features + scores + softmax).
/// <c>Predict</c> is what the bot runs: the ML.NET model's weights scored directly. <c>PredictWithMlNetPredictionEngine</c>
/// scores the same features with ML.NET's own <c>PredictionEngine</c> (one per thread), for comparison.
/// </summary>
[MemoryDiagnoser]
public class NluPredictBenchmarks
{
    private const int MessagesPerInvoke = 1000;
    private IntentModel _model = null!;
    private MlNetScorer _mlNet = null!;
    private string[] _messages = [];

    [GlobalSetup]
    public void Setup()
    {
        var data = NluBenchmarkData.DataDir();
        _model = new IntentTrainer().Train(TrainingData.LoadTsv(Path.Combine(data, NluEngine.TrainRelativePath)));
        _messages = TrainingData.LoadTsv(Path.Combine(data, "nlu", "test.tsv"))
            .Concat(TrainingData.LoadTsv(Path.Combine(data, "nlu", "offtopic_heldout.tsv")))
            .Select(e => e.Text)
            .ToArray();
        _mlNet = _model.CreateMlNetScorer();
    }

    [GlobalCleanup]
    public void Cleanup() => _mlNet.Dispose();

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public double Predict()
    {
        double sum = 0;
        for (var i = 0; i < MessagesPerInvoke; i++) sum += _model.Predict(_messages[i % _messages.Length]).Confidence;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public double PredictWithMlNetPredictionEngine()
    {
        double sum = 0;
        for (var i = 0; i < MessagesPerInvoke; i++) sum += _mlNet.Score(_messages[i % _messages.Length])[0];
        return sum;
    }
}

/// <summary>Training time on exactly 1,000 examples, with the default held-out temperature calibration and without it.</summary>
[MemoryDiagnoser]
public class NluTrainBenchmarks
{
    private TrainingExample[] _examples = [];

    [GlobalSetup]
    public void Setup() => _examples = NluBenchmarkData.ThousandExamples();

    [Benchmark]
    public IntentModel TrainCalibrated() => new IntentTrainer().Train(_examples);

    [Benchmark]
    public IntentModel TrainUncalibrated() => new IntentTrainer(new IntentTrainerOptions { CalibrationFolds = 0 }).Train(_examples);
}
