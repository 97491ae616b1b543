using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CcBot.Nlu;

/// <summary>Command-line logic (the host wires it to arguments). Methods return exit codes: 0 = ok, 1 = bad input.</summary>
public static class NluCommands
{
    public const int Ok = 0;
    public const int BadInput = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Trains on <c>{dataDir}/nlu/train.tsv</c> and saves the model to <paramref name="modelPath"/>.</summary>
    public static int Train(string dataDir, string modelPath, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var examples = TrainingData.LoadTsv(Path.Combine(dataDir, NluEngine.TrainRelativePath));
            var stopwatch = Stopwatch.StartNew();
            var model = new IntentTrainer().Train(examples);
            stopwatch.Stop();
            var directory = Path.GetDirectoryName(Path.GetFullPath(modelPath));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            using (var stream = File.Create(modelPath))
            {
                model.Save(stream);
            }
            var inv = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(inv, $"Đã huấn luyện mô hình ý định (ML.NET {model.Trainer}): {examples.Count} câu mẫu, {model.Intents.Count} ý định, {stopwatch.ElapsedMilliseconds} ms."));
            output.WriteLine(string.Create(inv, $"Nhiệt độ hiệu chỉnh (temperature): {model.Temperature:0.000}"));
            output.WriteLine($"Mã băm dữ liệu huấn luyện: {model.TrainingDataHash}");
            output.WriteLine(string.Create(inv, $"Đã lưu: {modelPath} ({new FileInfo(modelPath).Length / 1024.0:0.0} KB)"));
            return Ok;
        }
        catch (Exception e) when (e is NluDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            output.WriteLine($"Lỗi: {e.Message}");
            return BadInput;
        }
    }

    /// <summary>Prints 5-fold cross-validated accuracy on the training data, then metrics on <paramref name="testTsvPath"/>.</summary>
    public static int Eval(string dataDir, string testTsvPath, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var train = TrainingData.LoadTsv(Path.Combine(dataDir, NluEngine.TrainRelativePath));
            var test = TrainingData.LoadTsv(testTsvPath);
            var trainer = new IntentTrainer();
            var inv = CultureInfo.InvariantCulture;

            var cv = trainer.CrossValidate(train, 5);
            var cvReport = ClassificationReport.Compute(train.Select(e => e.Intent).ToArray(), cv);
            output.WriteLine(string.Create(inv, $"Kiểm định chéo 5 phần trên dữ liệu huấn luyện ({train.Count} câu): accuracy {cvReport.Accuracy:0.0000}, macro-F1 {cvReport.MacroF1:0.0000}"));
            output.WriteLine();

            var model = trainer.Train(train);
            var predicted = test.Select(e => model.Predict(e.Text).Intent).ToArray();
            var report = ClassificationReport.Compute(test.Select(e => e.Intent).ToArray(), predicted, model.Intents);
            output.WriteLine($"Đánh giá trên {testTsvPath}:");
            report.WriteTo(output);
            return Ok;
        }
        catch (Exception e) when (e is NluDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            output.WriteLine($"Lỗi: {e.Message}");
            return BadInput;
        }
    }

    /// <summary>Cross-validates every candidate trainer (<see cref="IntentTrainerSelection"/>) and prints the table and the winner.</summary>
    public static int Select(string dataDir, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            var train = TrainingData.LoadTsv(Path.Combine(dataDir, NluEngine.TrainRelativePath));
            var inv = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(inv, $"Kiểm định chéo 5 phần trên {train.Count} câu mẫu, từng cấu hình ML.NET:"));
            var results = IntentTrainerSelection.Run(train, IntentTrainerSelection.DefaultCandidates());
            var best = IntentTrainerSelection.Best(results);
            var current = new IntentTrainerOptions();
            foreach (var r in results)
            {
                var mark = ReferenceEquals(r, best) ? "*" : " ";
                var inUse = r.Options == current ? " (đang dùng)" : "";
                output.WriteLine(string.Create(inv, $"{mark} accuracy {r.Accuracy:0.0000}  macro-F1 {r.MacroF1:0.0000}  {r.Elapsed.TotalSeconds,5:0.0} s  {r.Describe()}{inUse}"));
            }
            output.WriteLine(best.Options == current
                ? "Cấu hình đang dùng là cấu hình tốt nhất."
                : $"Cấu hình tốt nhất khác cấu hình đang dùng: sửa giá trị mặc định trong IntentTrainerOptions thành {best.Describe()}.");
            return Ok;
        }
        catch (Exception e) when (e is NluDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            output.WriteLine($"Lỗi: {e.Message}");
            return BadInput;
        }
    }

    /// <summary>Reads one message per line and writes one JSON object per line: text, intent, confidence, route.</summary>
    public static async Task<int> PredictAsync(NluEngine engine, TextReader input, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        while (await input.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            ct.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(line)) continue;
            var result = engine.Understand(line);
            var faq = result.FaqHits.Count == 0 ? null : result.FaqHits.MaxBy(h => h.Score);
            var json = JsonSerializer.Serialize(new PredictLine(line, result.Prediction.Intent, Math.Round(result.Prediction.Confidence, 4), result.Route.ToString(),
                faq?.Document.Id, faq is null ? null : Math.Round(faq.Score, 3), faq is null ? null : Math.Round(faq.Coverage, 3)), JsonOptions);
            await output.WriteLineAsync(json.AsMemory(), ct).ConfigureAwait(false);
        }
        await output.FlushAsync(ct).ConfigureAwait(false);
        return Ok;
    }

    private sealed record PredictLine(
        [property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text,
        [property: System.Text.Json.Serialization.JsonPropertyName("intent")] string Intent,
        [property: System.Text.Json.Serialization.JsonPropertyName("confidence")] double Confidence,
        [property: System.Text.Json.Serialization.JsonPropertyName("route")] string Route,
        [property: System.Text.Json.Serialization.JsonPropertyName("faq")] string? Faq,
        [property: System.Text.Json.Serialization.JsonPropertyName("faqScore")] double? FaqScore,
        [property: System.Text.Json.Serialization.JsonPropertyName("faqCoverage")] double? FaqCoverage);
}
