using CcBot.Core.Nlu;
using CcBot.Core.Storage;
using CcBot.Nlu;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CcBot.Core.HelpDesk;

/// <summary>
/// The staff FAQ entries and labelled examples in this process's NLU engine, kept in step with the database: what
/// this instance adds is applied at once, what another instance added is picked up by <see cref="SyncAsync"/>.
/// Each stored row is applied once (retraining on an example twice would weigh it double).
/// </summary>
public sealed class StaffKnowledge(IHelpDeskStore store, NluEngineHolder nlu)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _lock = new();
    private readonly HashSet<long> _faq = [];
    private readonly HashSet<long> _examples = [];
    private (long Faq, long Examples)? _counted;

    /// <summary>The engine with every stored entry applied (synchronous: called while the engine loads).</summary>
    public NluEngine LoadInto(NluEngine engine)
    {
        var faq = store.ReadFaq();
        var examples = store.ReadExamples();
        lock (_lock)
        {
            _faq.UnionWith(faq.Select(e => e.Id));
            _examples.UnionWith(examples.Select(e => e.Id));
            _counted = (faq.Count, examples.Count);
        }

        return faq.Count > 0 || examples.Count > 0 ? HelpDeskService.Apply(engine, faq, examples) : engine;
    }

    /// <summary>Applies stored entries (those not applied yet) to the engine and swaps in the retrained engine.</summary>
    public async Task ApplyAsync(IReadOnlyList<StaffFaqEntry> faq, IReadOnlyList<StaffExample> examples, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (nlu.Loaded is not { } engine)
            {
                return; // Stored already: loading the engine reads every stored entry.
            }

            await ApplyNewAsync(engine, faq, examples, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies what other instances stored since the engine loaded; true when the engine changed. A cheap count query
    /// when nothing changed. Does nothing before the engine loads (loading reads everything).
    /// </summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        if (Counted() is not { } before || await store.CountKnowledgeAsync(cancellationToken).ConfigureAwait(false) == before)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (nlu.Loaded is not { } engine)
            {
                return false;
            }

            var faq = store.ReadFaq();
            var examples = store.ReadExamples();
            lock (_lock)
            {
                _counted = (faq.Count, examples.Count);
            }

            return await ApplyNewAsync(engine, faq, examples, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private (long Faq, long Examples)? Counted()
    {
        lock (_lock)
        {
            return _counted;
        }
    }

    /// <summary>Under the gate: the engine is loaded (so <see cref="LoadInto"/> has marked what it applied).</summary>
    private async Task<bool> ApplyNewAsync(NluEngine engine, IReadOnlyList<StaffFaqEntry> faq, IReadOnlyList<StaffExample> examples, CancellationToken cancellationToken)
    {
        List<StaffFaqEntry> newFaq;
        List<StaffExample> newExamples;
        lock (_lock)
        {
            newFaq = [.. faq.Where(e => !_faq.Contains(e.Id))];
            newExamples = [.. examples.Where(e => !_examples.Contains(e.Id))];
        }

        if (newFaq.Count == 0 && newExamples.Count == 0)
        {
            return false;
        }

        var changed = await Task.Run(() => HelpDeskService.Apply(engine, newFaq, newExamples), cancellationToken).ConfigureAwait(false);
        nlu.Replace(changed);
        lock (_lock)
        {
            _faq.UnionWith(newFaq.Select(e => e.Id));
            _examples.UnionWith(newExamples.Select(e => e.Id));
        }

        return true;
    }
}

/// <summary>
/// On PostgreSQL, several instances share the help desk: every few seconds each one applies the staff FAQ entries and
/// labelled examples added through another instance's console. SQLite has a single process, which applies its own at once.
/// </summary>
public sealed class StaffKnowledgeSync(StaffKnowledge knowledge, IOptions<StorageOptions> storage, TimeProvider time, ILogger<StaffKnowledgeSync> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.Value.IsPostgres())
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (await knowledge.SyncAsync(stoppingToken).ConfigureAwait(false))
                {
                    logger.LogInformation("Applied staff FAQ entries or examples added on another instance");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not read the staff FAQ entries and examples; retrying in {Interval}", Interval);
            }
        }
    }
}
