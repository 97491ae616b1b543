using System.Collections.Concurrent;
using CcBot.Core.Quiz.Import;
using Microsoft.Extensions.Logging;

namespace CcBot.Core.Quiz;

/// <summary>A contest's bank as held in memory: the active questions and every question by id (old attempts may use retired ones).</summary>
public sealed record QuestionBank(IReadOnlyList<QuizQuestion> Active, IReadOnlyDictionary<long, QuizQuestion> ById);

/// <summary>
/// Question banks read from the store and kept in memory for a short while (a CLI import in another process shows up
/// within <see cref="RefreshAfter"/>). A contest with no imported bank gets the sample file <c>data/quiz/&lt;id&gt;.questions.csv</c>.
/// </summary>
public sealed class QuestionBanks(IQuizStore store, ContentPaths paths, TimeProvider clock, ILogger<QuestionBanks> logger)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (DateTimeOffset LoadedAt, Task<QuestionBank> Bank)> _cache = new(StringComparer.Ordinal);

    public string SampleFile(string contestId) => Path.Combine(paths.Data, "quiz", contestId + ".questions.csv");

    public Task<QuestionBank> GetAsync(string contestId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(contestId, out var entry) && now - entry.LoadedAt < RefreshAfter && !entry.Bank.IsFaulted && !entry.Bank.IsCanceled)
        {
            return cancellationToken.CanBeCanceled ? entry.Bank.WaitAsync(cancellationToken) : entry.Bank;
        }

        // The load is shared by every caller, so one caller's cancellation must not cancel it.
        var task = LoadAsync(contestId, CancellationToken.None);
        _cache[contestId] = (now, task);
        return cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task;
    }

    public void Invalidate(string contestId) => _cache.TryRemove(contestId, out _);

    private async Task<QuestionBank> LoadAsync(string contestId, CancellationToken cancellationToken)
    {
        var all = await store.GetQuestionsAsync(contestId, activeOnly: false, cancellationToken).ConfigureAwait(false);
        if (all.Count == 0 && File.Exists(SampleFile(contestId)))
        {
            var parsed = QuestionBankParser.Parse(contestId, TabularFile.Read(SampleFile(contestId)));
            if (parsed.Errors.Count > 0)
            {
                logger.LogError("Sample bank {File} has errors and is not loaded: {Errors}", SampleFile(contestId), string.Join("; ", parsed.Errors));
            }
            else
            {
                await store.ReplaceBankAsync(contestId, parsed.Questions, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                all = await store.GetQuestionsAsync(contestId, activeOnly: false, cancellationToken).ConfigureAwait(false);
            }
        }

        var active = await store.GetQuestionsAsync(contestId, activeOnly: true, cancellationToken).ConfigureAwait(false);
        return new QuestionBank(active, all.ToDictionary(q => q.Id));
    }
}

/// <summary>The outcome of <c>ccbot quiz import</c>.</summary>
public sealed record BankImportReport(int Imported, int Rejected, IReadOnlyList<ImportError> Errors, bool Stored);

/// <summary>Imports a CSV/XLSX bank for one contest: all or nothing unless <c>skipBad</c>.</summary>
public sealed class BankImporter(IQuizStore store, QuestionBanks banks, TimeProvider clock)
{
    public async Task<BankImportReport> ImportAsync(string contestId, string file, bool skipBad, CancellationToken cancellationToken)
    {
        var parsed = QuestionBankParser.Parse(contestId, TabularFile.Read(file));
        var fileLevel = parsed.Errors.Any(e => e.Row == 0);
        var rejectedRows = parsed.Errors.Where(e => e.Row > 0).Select(e => e.Row).Distinct().Count();
        if (fileLevel || parsed.Questions.Count == 0 || (parsed.Errors.Count > 0 && !skipBad))
        {
            return new BankImportReport(0, rejectedRows, parsed.Errors, false);
        }

        var count = await store.ReplaceBankAsync(contestId, parsed.Questions, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        banks.Invalidate(contestId);
        return new BankImportReport(count, rejectedRows, parsed.Errors, true);
    }
}
