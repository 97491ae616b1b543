using System.Globalization;
using CcBot.Core.Participants;
using CcBot.Core.Quiz.Import;
using CcBot.Core.Text;
using CsvHelper;

namespace CcBot.Core.Quiz;

public sealed record UnitParticipation(int Rank, string Unit, int Participants, int Attempts, double AverageScore, int BestScore);

public sealed record ParticipantLine(string FullName, string Unit, int Attempts, int BestScore, int Questions, long BestDurationMs);

public sealed record ParticipationData(string ContestId, IReadOnlyList<UnitParticipation> Units, IReadOnlyList<ParticipantLine> Participants, int TotalAttempts);

/// <summary>
/// What the notices ask units to report: per unit the participants, attempts, average and best score (closed attempts),
/// ranked by participants then average score; units of the contest's list with nobody yet are listed with zeros.
/// </summary>
public sealed class ParticipationReport(IQuizStore store, UnitDirectory units, ITextCatalog texts, TimeProvider clock)
{
    public async Task<ParticipationData> BuildAsync(string contestId, CancellationToken cancellationToken)
    {
        await store.ExpireOverdueAsync(contestId, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var attempts = await store.GetAttemptsAsync(contestId, null, cancellationToken).ConfigureAwait(false);
        var byUnit = attempts.GroupBy(a => a.Unit, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var unit in units.For(contestId))
        {
            byUnit.TryAdd(unit, []);
        }

        var rows = byUnit.Select(kv =>
        {
            var closed = kv.Value.Where(a => a.IsOver).ToList();
            return new UnitParticipation(0, kv.Key, kv.Value.Select(a => a.UserId).Distinct().Count(), kv.Value.Count,
                closed.Count == 0 ? 0 : Math.Round(closed.Average(a => a.CorrectCount), 2), closed.Count == 0 ? 0 : closed.Max(a => a.CorrectCount));
        })
        .OrderByDescending(u => u.Participants).ThenByDescending(u => u.AverageScore).ThenBy(u => u.Unit, StringComparer.Ordinal)
        .Select((u, i) => u with { Rank = i + 1 })
        .ToList();

        var people = attempts.GroupBy(a => a.UserId).Select(g =>
        {
            var best = g.Where(a => a.IsOver).OrderByDescending(a => a.CorrectCount).ThenBy(a => a.DurationMs).FirstOrDefault();
            var last = g.Last();
            return new ParticipantLine(last.FullName, last.Unit, g.Count(), best?.CorrectCount ?? 0, best?.Questions.Count ?? last.Questions.Count, best?.DurationMs ?? 0);
        })
        .OrderBy(p => p.Unit, StringComparer.Ordinal).ThenBy(p => p.FullName, StringComparer.Ordinal)
        .ToList();
        return new ParticipationData(contestId, rows, people, attempts.Count);
    }

    /// <summary>Writes .xlsx (sheets of units and participants) or .csv (units in FILE, participants in FILE-participants.csv). Returns the files written.</summary>
    public IReadOnlyList<string> Write(ParticipationData data, string path)
    {
        var unitHeader = new[] { "quiz.report.rank", "quiz.report.unit", "quiz.report.participants", "quiz.report.attempts", "quiz.report.average", "quiz.report.best" }.Select(k => texts.Get(k)).ToArray();
        var personHeader = new[] { "quiz.report.full_name", "quiz.report.unit", "quiz.report.attempts", "quiz.report.best", "quiz.report.questions", "quiz.report.best_time_seconds" }.Select(k => texts.Get(k)).ToArray();
        var unitRows = data.Units.Select(u => (IReadOnlyList<object?>)[u.Rank, u.Unit, u.Participants, u.Attempts, u.AverageScore, u.BestScore]).ToList();
        var personRows = data.Participants.Select(p => (IReadOnlyList<object?>)[p.FullName, p.Unit, p.Attempts, p.BestScore, p.Questions, Math.Round(p.BestDurationMs / 1000.0, 1)]).ToList();
        return TabularFile.WriteReport(
            path,
            new TableSheet(texts.Get("quiz.report.sheet_units"), unitHeader, unitRows),
            new TableSheet(texts.Get("quiz.report.sheet_participants"), personHeader, personRows),
            "-participants");
    }
}
