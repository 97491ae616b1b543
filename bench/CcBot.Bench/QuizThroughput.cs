using System.Diagnostics;
using System.Globalization;
using CcBot.Core;
using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Quiz;
using CcBot.Core.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ActivityKind = CcBot.Core.Activities.ActivityKind;

namespace CcBot.Bench;

/// <summary>
/// The quiz slice under load: P simulated participants each register (name, unit, consent) and complete a 10-question
/// contest attempt of hai-duong-2024 (typed answers, then the prediction) through the full pipeline with SQLite; every
/// answer is persisted. Prints turns/s, answers/s and p50/p99 latency of answer turns.
/// Usage: <c>dotnet run -c Release --project bench/CcBot.Bench -- quiz [participants] [concurrent] [synchronous]</c>.
/// </summary>
public static class QuizThroughput
{
    private const string Contest = "hai-duong-2024";
    private static readonly string[] Letters = ["A", "B", "C", "D"];
    private static readonly string[] Given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Minh", "Nam", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Long"];

    public static async Task<int> RunAsync(string[] args)
    {
        var participants = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var concurrent = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var synchronous = args.Length > 2 ? args[2] : "FULL";
        var services = PipelineThroughput.BotServices(synchronous);
        // Inside the contest window: real time shifted to 25/11/2024 09:00 (Vietnam), so server-side timing still runs.
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new ShiftedClock(VietnamTime.At(2024, 11, 25, 9, 0))));
        await using var provider = services.BuildServiceProvider();
        var inbox = provider.GetRequiredService<IInbox>();
        _ = provider.GetRequiredService<NluEngineHolder>().Current;
        await provider.GetRequiredService<QuestionBanks>().GetAsync(Contest, CancellationToken.None);

        await RunAsync(inbox, "warm", 200, 50, [], []);

        var answerLatencies = new double[participants * 10];
        var otherLatencies = new double[participants * 7];
        var started = Stopwatch.GetTimestamp();
        await RunAsync(inbox, "run", participants, concurrent, answerLatencies, otherLatencies);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        Array.Sort(answerLatencies);
        Array.Sort(otherLatencies);
        var db = provider.GetRequiredService<CcBot.Core.Storage.SqliteDatabase>();
        var answers = Count(db, "SELECT COUNT(*) FROM quiz_answers a JOIN quiz_attempts t ON t.id = a.attempt_id WHERE t.user_id IN (SELECT id FROM users WHERE channel_user_id LIKE 'run-%')");
        var finished = Count(db, "SELECT COUNT(*) FROM quiz_attempts WHERE status = 'finished' AND prediction IS NOT NULL AND user_id IN (SELECT id FROM users WHERE channel_user_id LIKE 'run-%')");
        var turns = participants * 17;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"quiz: {participants} participants x 10 questions, {concurrent} concurrent, synchronous={synchronous}: " +
            $"{turns / seconds:0} turns/s overall ({turns} turns in {seconds:0.0} s), {participants * 10 / seconds:0} answers/s (answers stored per second of the whole run, registration turns included), " +
            $"answer turn p50 {Pct(answerLatencies, 0.50):0.00} ms p99 {Pct(answerLatencies, 0.99):0.00} ms, other turns p99 {Pct(otherLatencies, 0.99):0.00} ms; " +
            $"stored: {answers} answers, {finished} finished attempts with prediction"));
        return answers == participants * 10 && finished == participants ? 0 : 1;
    }

    /// <summary>Each worker takes participants one after another: 7 registration/start/prediction turns and 10 answer turns.</summary>
    private static async Task RunAsync(IInbox inbox, string prefix, int participants, int concurrent, double[] answerLatencies, double[] otherLatencies)
    {
        var next = -1;
        var workers = Enumerable.Range(0, concurrent).Select(_ => Task.Run(async () =>
        {
            int p;
            while ((p = Interlocked.Increment(ref next)) < participants)
            {
                var reference = new ConversationReference("bench", $"{prefix}-{p}", $"{prefix}-{p}", "Người thử");
                var seq = 0;
                var other = 0;
                async Task<double> Send(string? text, string? value)
                {
                    var activity = new InboundActivity
                    {
                        Channel = "bench",
                        Id = $"{prefix}-{p}-{seq++}",
                        Kind = value is null ? ActivityKind.Message : ActivityKind.ButtonClick,
                        From = reference,
                        Text = text ?? value,
                        Value = value,
                        Timestamp = DateTimeOffset.UtcNow,
                    };
                    var t0 = Stopwatch.GetTimestamp();
                    var receipt = await inbox.SubmitAsync(activity, CancellationToken.None);
                    await receipt.Handled;
                    return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                }

                void Other(double ms)
                {
                    if (otherLatencies.Length > 0)
                    {
                        otherLatencies[(p * 7) + other++] = ms;
                    }
                }

                Other(await Send(null, $"quiz_contest:{Contest}"));
                Other(await Send($"Nguyễn {Given[p % Given.Length]} {Given[(p / Given.Length) % Given.Length]} {Given[(p / 400) % Given.Length]}", null));
                Other(await Send("văn phòng", null));
                Other(await Send(null, "pc:yes"));
                Other(await Send(null, $"quiz_contest:{Contest}"));
                for (var q = 0; q < 10; q++)
                {
                    var ms = await Send(Letters[(p + q) % Letters.Length], null);
                    if (answerLatencies.Length > 0)
                    {
                        answerLatencies[(p * 10) + q] = ms;
                    }
                }

                Other(await Send((1000 + p).ToString(CultureInfo.InvariantCulture), null));
                Other(await Send(null, $"results:{Contest}"));
            }
        })).ToArray();
        await Task.WhenAll(workers);
    }

    private static double Pct(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];

    private static long Count(CcBot.Core.Storage.SqliteDatabase db, string sql)
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan _shift = start - TimeProvider.System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _shift;
    }
}
