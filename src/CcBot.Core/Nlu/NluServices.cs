using CcBot.Core.Storage;
using CcBot.Nlu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Nlu;

/// <summary>Bound from the <c>Nlu</c> section: routing thresholds (tuned on held-out off-topic messages) and the saved model.</summary>
public sealed class NluOptions
{
    public const string Section = "Nlu";

    public double MinConfidence { get; set; } = new RoutingOptions().MinConfidence;

    public double MinMargin { get; set; } = new RoutingOptions().MinMargin;

    public double FaqMinScore { get; set; } = new RoutingOptions().FaqMinScore;

    public double FaqOverrideScore { get; set; } = new RoutingOptions().FaqOverrideScore;

    public double FaqOverrideCoverage { get; set; } = new RoutingOptions().FaqOverrideCoverage;

    public double FaqAskedCoverage { get; set; } = new RoutingOptions().FaqAskedCoverage;

    /// <summary>Saved model, relative to the storage data folder; retrained at start-up when the training data changed.</summary>
    public string ModelFile { get; set; } = "nlu-model.bin";

    public RoutingOptions ToRouting() => new() { MinConfidence = MinConfidence, MinMargin = MinMargin, FaqMinScore = FaqMinScore, FaqOverrideScore = FaqOverrideScore, FaqOverrideCoverage = FaqOverrideCoverage, FaqAskedCoverage = FaqAskedCoverage };
}

/// <summary>Holds the current engine; a retrain (help desk "add to FAQ") swaps it atomically.</summary>
public sealed class NluEngineHolder(Func<NluEngine> load)
{
    private readonly Lazy<NluEngine> _initial = new(load);
    private NluEngine? _replaced;

    public NluEngine Current => Volatile.Read(ref _replaced) ?? _initial.Value;

    public void Replace(NluEngine engine) => Volatile.Write(ref _replaced, engine);
}

/// <summary>The router's free-text understanding over the NLU library.</summary>
public sealed class NluLanguageUnderstanding(NluEngineHolder holder, IOptions<NluOptions> options) : ILanguageUnderstanding
{
    public Understanding Understand(string text, bool namesContest = false)
    {
        var result = holder.Current.Understand(text);
        var p = result.Prediction;
        if (namesContest && result.Route.Kind == RouteKind.Unsure && p.Intent != IntentNames.OutOfScope && p.Confidence >= options.Value.MinConfidence)
        {
            return new Understanding(UnderstandingKind.Intent, p.Intent, p.Confidence);
        }

        return result.Route.Kind switch
        {
            RouteKind.Intent => new Understanding(UnderstandingKind.Intent, result.Route.Intent ?? p.Intent, p.Confidence),
            RouteKind.Faq when result.Route.Faq is { } hit => new Understanding(UnderstandingKind.Faq, p.Intent, p.Confidence,
                new FaqAnswer(hit.Document.Id, hit.Document.Question, hit.Document.Answer, hit.Document.Source, hit.Score)),
            RouteKind.OutOfScope => new Understanding(UnderstandingKind.OutOfScope, p.Intent, p.Confidence),
            _ => new Understanding(UnderstandingKind.Unsure, p.Intent, p.Confidence),
        };
    }
}

public static class NluServices
{
    public static IServiceCollection AddCcBotNlu(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<NluOptions>().Bind(configuration.GetSection(NluOptions.Section))
            .Validate(o => o.MinConfidence is >= 0 and <= 1 && o.MinMargin is >= 0 and <= 1 && o.FaqMinScore is >= 0 and <= 1 && o.FaqOverrideCoverage is >= 0 and <= 1 && o.FaqAskedCoverage is >= 0 and <= 1,
                "Nlu thresholds must be between 0 and 1.")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var paths = sp.GetRequiredService<ContentPaths>();
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var options = sp.GetRequiredService<IOptions<NluOptions>>().Value;
            var logger = sp.GetRequiredService<ILogger<NluEngineHolder>>();
            var modelPath = Path.Combine(Path.GetFullPath(storage.DataFolder, contentRoot), options.ModelFile);
            return new NluEngineHolder(() =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var engine = NluEngine.LoadOrTrain(paths.Data, modelPath, options.ToRouting());
                if (sp.GetService<HelpDesk.StaffKnowledge>() is { } staffKnowledge)
                {
                    engine = staffKnowledge.LoadInto(engine);
                }
                logger.LogInformation(
                    "NLU model {How} in {Ms:0} ms ({Examples} examples, {Faq} FAQ entries)",
                    engine.TrainedAtStartup ? "trained" : "loaded",
                    System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    engine.Examples.Count,
                    engine.Faq.Documents.Count);
                return engine;
            });
        });
        services.AddSingleton<ILanguageUnderstanding, NluLanguageUnderstanding>();
        return services;
    }
}
