using CcBot.Core.Storage;
using CcBot.Nlu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    public string ModelFile { get; set; } = "nlu-model.zip";

    /// <summary>When loading the model failed at start, how long until it is tried again (meanwhile: keyword fallback).</summary>
    public int RetrySeconds { get; set; } = 60;

    public RoutingOptions ToRouting() => new() { MinConfidence = MinConfidence, MinMargin = MinMargin, FaqMinScore = FaqMinScore, FaqOverrideScore = FaqOverrideScore, FaqOverrideCoverage = FaqOverrideCoverage, FaqAskedCoverage = FaqAskedCoverage };
}

/// <summary>
/// Holds the current engine: empty until <see cref="NluEngineLoader"/> has loaded or trained it at start; a retrain
/// (help desk "add to FAQ") swaps it atomically.
/// </summary>
public sealed class NluEngineHolder
{
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NluEngine? _engine;

    public NluEngineHolder()
    {
    }

    public NluEngineHolder(NluEngine engine)
    {
        _engine = engine;
        _firstAttempt.TrySetResult();
    }

    /// <summary>Completes when the first load attempt has finished, loaded or failed (turns wait for it, so none is answered by
    /// keywords only because it arrived while the model was still loading).</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    /// <summary>The first load attempt is over (whatever its outcome).</summary>
    public void MarkAttempted() => _firstAttempt.TrySetResult();

    /// <summary>The engine, or null while it is not loaded (the bot then understands by keywords).</summary>
    public NluEngine? Loaded => Volatile.Read(ref _engine);

    /// <summary>The engine; throws while it is not loaded (for staff actions that need it).</summary>
    public NluEngine Current => Loaded ?? throw new InvalidOperationException("Bộ phân loại ý định chưa tải xong (xem nhật ký máy chủ); hãy thử lại sau ít phút.");

    public void Replace(NluEngine engine) => Volatile.Write(ref _engine, engine);
}

/// <summary>Loads the saved model (or trains it when the training data changed) into the holder, one attempt at a time.</summary>
public sealed class NluEngineLoader(
    ContentPaths paths,
    IOptions<StorageOptions> storage,
    IOptions<NluOptions> options,
    NluEngineHolder holder,
    IServiceProvider services,
    ILogger<NluEngineLoader> logger,
    string contentRoot)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>True when the engine is loaded (now or before); false when this attempt failed (logged).</summary>
    public async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (holder.Loaded is not null)
            {
                return true;
            }

            var engine = await Task.Run(Load, cancellationToken).ConfigureAwait(false);
            holder.Replace(engine);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "The NLU model could not be loaded or trained; the bot answers by keywords until it loads (tried again in {Seconds} s)",
                options.Value.RetrySeconds);
            return false;
        }
        finally
        {
            holder.MarkAttempted();
            _gate.Release();
        }
    }

    private NluEngine Load()
    {
        var o = options.Value;
        var modelPath = Path.Combine(Path.GetFullPath(storage.Value.DataFolder, contentRoot), o.ModelFile);
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var engine = NluEngine.LoadOrTrain(paths.Data, modelPath, o.ToRouting());
        if (services.GetService(typeof(HelpDesk.StaffKnowledge)) is HelpDesk.StaffKnowledge staffKnowledge)
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
    }
}

/// <summary>
/// Loads the model in the background from start-up (the host does not wait: Kestrel and the channels start meanwhile, and
/// turns wait for the first attempt in <see cref="ILanguageUnderstanding.WhenReadyAsync"/>); when loading fails the bot answers
/// by keywords, and loading is tried again every <c>Nlu:RetrySeconds</c> until it succeeds.
/// </summary>
public sealed class NluStartup(NluEngineLoader loader, IOptions<NluOptions> options, TimeProvider clock) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The first attempt runs on the thread pool (the load itself is CPU work), never on the host's start-up path.
        _run = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        if (await loader.LoadAsync(ct).ConfigureAwait(false))
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RetrySeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                if (await loader.LoadAsync(ct).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            // A load or a training in progress cannot be interrupted; the host's shutdown timeout bounds the wait for it.
            await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _stopping.Dispose();
}

/// <summary>The router's free-text understanding over the NLU library; keywords while the model is not loaded.</summary>
public sealed class NluLanguageUnderstanding(NluEngineHolder holder, KeywordUnderstanding keywords, IOptions<NluOptions> options) : ILanguageUnderstanding
{
    public ValueTask WhenReadyAsync(CancellationToken cancellationToken) =>
        holder.FirstAttempt.IsCompleted ? ValueTask.CompletedTask : new ValueTask(holder.FirstAttempt.WaitAsync(cancellationToken));

    public Understanding Understand(string text, bool namesContest = false)
    {
        if (holder.Loaded is not { } engine)
        {
            return keywords.Understand(text);
        }

        var result = engine.Understand(text);
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
            .Validate(o => o.RetrySeconds is >= 1 and <= 86_400, "Nlu:RetrySeconds must be between 1 and 86400.")
            .ValidateOnStart();
        services.AddSingleton<NluEngineHolder>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<NluEngineLoader>(sp, contentRoot));
        services.AddHostedService<NluStartup>();
        services.AddSingleton<KeywordUnderstanding>();
        services.AddSingleton<ILanguageUnderstanding, NluLanguageUnderstanding>();
        return services;
    }
}
