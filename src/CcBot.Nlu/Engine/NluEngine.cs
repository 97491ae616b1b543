namespace CcBot.Nlu;

/// <summary>
/// Facade: normalizer + intent model + FAQ index + routing policy. Immutable; <see cref="AddFaq"/>,
/// <see cref="Retrain"/> and <see cref="WithRouting"/> return new engines. Thread-safe.
/// Data layout under <c>dataDir</c>: <c>nlu/train.tsv</c> (required) and <c>faq/faq.tsv</c> (optional).
/// </summary>
public sealed class NluEngine
{
    public const string TrainRelativePath = "nlu/train.tsv";
    public const string FaqRelativePath = "faq/faq.tsv";

    private readonly TextNormalizer _normalizer;
    private readonly IntentTrainerOptions _trainerOptions;

    private NluEngine(IntentModel model, FaqIndex faq, RoutingPolicy routing, IReadOnlyList<TrainingExample> examples,
        IntentTrainerOptions trainerOptions, bool trainedAtStartup, TextNormalizer normalizer)
    {
        Model = model;
        Faq = faq;
        Routing = routing;
        Examples = examples;
        _trainerOptions = trainerOptions;
        TrainedAtStartup = trainedAtStartup;
        _normalizer = normalizer;
    }

    public IntentModel Model { get; }

    public FaqIndex Faq { get; }

    public RoutingPolicy Routing { get; }

    /// <summary>The examples the model was trained on.</summary>
    public IReadOnlyList<TrainingExample> Examples { get; }

    /// <summary>True when the model was (re)trained rather than loaded from the model file.</summary>
    public bool TrainedAtStartup { get; }

    public static NluEngine LoadOrTrain(string dataDir, string modelPath, RoutingOptions options)
        => LoadOrTrain(dataDir, modelPath, options, null);

    /// <summary>
    /// Loads <paramref name="modelPath"/> when it was trained on exactly the current <c>nlu/train.tsv</c> with the same
    /// trainer settings (hash stored in the model file); otherwise trains, saves the model atomically and returns it.
    /// </summary>
    public static NluEngine LoadOrTrain(string dataDir, string modelPath, RoutingOptions options, IntentTrainerOptions? trainerOptions)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        trainerOptions ??= new IntentTrainerOptions();
        var normalizer = new TextNormalizer();
        var examples = TrainingData.LoadTsv(Path.Combine(dataDir, TrainRelativePath));
        var faqPath = Path.Combine(dataDir, FaqRelativePath);
        var faq = new FaqIndex(File.Exists(faqPath) ? FaqData.LoadTsv(faqPath) : [], normalizer);
        var expectedHash = TrainingData.ComputeHash(examples, trainerOptions.Fingerprint);

        var model = TryLoad(modelPath, expectedHash);
        var trained = model is null;
        if (model is null)
        {
            model = new IntentTrainer(trainerOptions, normalizer).Train(examples);
            SaveAtomically(model, modelPath);
        }
        return new NluEngine(model, faq, new RoutingPolicy(options), examples, trainerOptions, trained, normalizer);
    }

    /// <summary>Builds an engine from parts (tests, or a host that manages its own storage).</summary>
    public static NluEngine Create(IntentModel model, IEnumerable<FaqDocument> faq, RoutingOptions options,
        IReadOnlyList<TrainingExample>? examples = null, IntentTrainerOptions? trainerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(faq);
        var normalizer = new TextNormalizer();
        return new NluEngine(model, new FaqIndex(faq, normalizer), new RoutingPolicy(options), examples ?? [],
            trainerOptions ?? new IntentTrainerOptions(), false, normalizer);
    }

    public NluResult Understand(string text)
    {
        var normalized = _normalizer.Normalize(text);
        var prediction = Model.Predict(normalized);
        var hits = Faq.Search(normalized);
        return new NluResult(normalized, prediction, hits, Routing.Decide(prediction, hits));
    }

    /// <summary>Returns an engine whose FAQ also contains <paramref name="document"/> (same id replaces). The caller persists it.</summary>
    public NluEngine AddFaq(FaqDocument document)
        => new(Model, Faq.Add(document), Routing, Examples, _trainerOptions, false, _normalizer);

    public NluEngine AddFaq(string id, string question, string answer, string? source = null, string? contestId = null)
        => AddFaq(new FaqDocument(id, question, answer, source, contestId));

    /// <summary>Returns an engine retrained on the current examples plus <paramref name="extraExamples"/> (not saved).</summary>
    public NluEngine Retrain(IEnumerable<TrainingExample> extraExamples)
    {
        ArgumentNullException.ThrowIfNull(extraExamples);
        var extra = extraExamples.ToArray();
        foreach (var e in extra)
        {
            if (!IntentNames.IsKnown(e.Intent)) throw new ArgumentException($"Unknown intent '{e.Intent}'.", nameof(extraExamples));
            if (string.IsNullOrWhiteSpace(e.Text)) throw new ArgumentException("Empty example text.", nameof(extraExamples));
        }
        var examples = Examples.Concat(extra).ToArray();
        var model = new IntentTrainer(_trainerOptions, _normalizer).Train(examples);
        return new NluEngine(model, Faq, Routing, examples, _trainerOptions, true, _normalizer);
    }

    public NluEngine WithRouting(RoutingOptions options)
        => new(Model, Faq, new RoutingPolicy(options), Examples, _trainerOptions, false, _normalizer);

    public void SaveModel(string modelPath) => SaveAtomically(Model, modelPath);

    private static IntentModel? TryLoad(string modelPath, string expectedHash)
    {
        if (!File.Exists(modelPath)) return null;
        try
        {
            using var stream = File.OpenRead(modelPath);
            var model = IntentModel.Load(stream);
            return model.TrainingDataHash == expectedHash ? model : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static void SaveAtomically(IntentModel model, string modelPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(modelPath));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temp = modelPath + ".tmp";
        using (var stream = File.Create(temp))
        {
            model.Save(stream);
        }
        File.Move(temp, modelPath, overwrite: true);
    }
}
