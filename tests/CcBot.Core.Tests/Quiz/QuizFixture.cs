using CcBot.Core.Contests;
using CcBot.Core.Participants;
using CcBot.Core.Quiz;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Text;
using CcBot.Core.Time;
using CcBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CcBot.Core.Tests.Quiz;

/// <summary>
/// The quiz services over a fresh database of either provider (a SQLite file or a PostgreSQL database) and a content
/// folder holding a known bank for <c>hai-duong-2024</c> (question i: options "Đúng i", "Sai 1", "Sai 2", "Sai 3"; A is
/// right), with a clock inside the contest window.
/// </summary>
internal sealed class QuizFixture : IAsyncDisposable
{
    public const string ContestId = "hai-duong-2024";

    private readonly TempDir _dir;
    private readonly StorageBackend _backend;
    private readonly IAsyncDisposable _database;

    private QuizFixture(TempDir dir, StorageBackend backend, IAsyncDisposable database, IQuizStore store, QuizSettings? settings)
    {
        _dir = dir;
        _backend = backend;
        _database = database;
        Store = store;
        Paths = new ContentPaths(_dir.Path);
        Settings = settings ?? new QuizSettings { QuestionsPerAttempt = 5, SecondsPerQuestion = 30, AttemptLimit = 3 };
        Clock = new ManualClock(VietnamTime.At(2024, 11, 20, 9, 0));
        Banks = new QuestionBanks(Store, Paths, Clock, NullLogger<QuestionBanks>.Instance);
        Attempts = new ContestAttempts(Store, Banks);
        Texts = YamlTextCatalog.LoadFolder(Path.Combine(Repo.Root, "dialogs"));
        Report = new ParticipationReport(Store, new UnitDirectory(Paths), Texts, Clock);
    }

    /// <summary>A fixture on <paramref name="provider"/> ("sqlite" or "postgres") with the core and quiz migrations applied.</summary>
    public static async Task<QuizFixture> CreateAsync(string provider = "sqlite", QuizSettings? settings = null, int bankSize = 12)
    {
        var dir = Repo.Temp();
        var data = Directory.CreateDirectory(Path.Combine(dir.Path, "data", "quiz")).FullName;
        Directory.CreateDirectory(Path.Combine(dir.Path, "data", "units"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "dialogs"));
        File.WriteAllText(Path.Combine(data, ContestId + ".questions.csv"),
            "question,a,b,c,d,correct,explanation,topic,source\n" + string.Concat(Enumerable.Range(1, bankSize).Select(i => $"Câu hỏi số {i}?,Đúng {i},Sai 1,Sai 2,Sai 3,A,Vì vậy,Chủ đề,Tài liệu {i}\n")));
        File.WriteAllText(Path.Combine(dir.Path, "data", "units", ContestId + ".csv"), "unit\nVăn phòng Sở\nPhòng Quản lý văn hóa\nPhòng Quản lý thể thao\n");
        var backend = await StorageBackend.CreateAsync(provider);
        if (backend.IsPostgres)
        {
            var pg = new PostgresDatabase(backend.ConnectionString, NullLogger<PostgresDatabase>.Instance);
            await pg.MigrateAsync(new PostgresCoreMigrations().Migrations.Concat(new PostgresQuizMigrations().Migrations));
            return new QuizFixture(dir, backend, pg, new PostgresQuizStore(pg), settings);
        }

        var sqlite = new SqliteDatabase(backend.ConnectionString, NullLogger<SqliteDatabase>.Instance, 256, "NORMAL");
        sqlite.Initialize(new CoreMigrations().Migrations.Concat(new QuizMigrations().Migrations));
        return new QuizFixture(dir, backend, sqlite, new SqliteQuizStore(sqlite), settings);
    }

    public ContentPaths Paths { get; }

    public QuizSettings Settings { get; }

    public IQuizStore Store { get; }

    public ManualClock Clock { get; }

    public QuestionBanks Banks { get; }

    public ContestAttempts Attempts { get; }

    public ITextCatalog Texts { get; }

    public ParticipationReport Report { get; }

    public string Folder => _dir.Path;

    public static Contest Contest => Repo.Contest(ContestId);

    public Task<StartResult> StartAsync(long user, string unit = "Văn phòng Sở") =>
        Attempts.StartAsync(Contest, Settings, user, "Người " + user, unit, Clock.GetUtcNow(), CancellationToken.None);

    /// <summary>The shown letter of the right option (A in the bank, shuffled per attempt).</summary>
    public static int RightLetter(QuizAttempt attempt, int index) => attempt.Questions[index].Order.ToList().IndexOf(0);

    public static int WrongLetter(QuizAttempt attempt, int index) => attempt.Questions[index].Order.ToList().IndexOf(1);

    public Task<AnswerResult> AnswerAsync(QuizAttempt attempt, int index, bool right) =>
        Attempts.AnswerAsync(attempt.Id, index, [right ? RightLetter(attempt, index) : WrongLetter(attempt, index)], Clock.GetUtcNow(), CancellationToken.None);

    /// <summary>Runs a whole attempt: <paramref name="correct"/> right answers, each after <paramref name="secondsEach"/> seconds.</summary>
    public async Task<QuizAttempt> CompleteAsync(long user, int correct, double secondsEach, string unit = "Văn phòng Sở")
    {
        var attempt = (await StartAsync(user, unit)).Attempt!;
        AnswerResult? last = null;
        for (var i = 0; i < attempt.Questions.Count; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(secondsEach));
            last = await AnswerAsync(attempt, i, i < correct);
        }

        return last!.Attempt;
    }

    /// <summary>A scalar count by SQL that both providers understand (write flags as booleans: <c>WHERE late AND NOT correct</c>).</summary>
    public long Count(string sql)
    {
        if (_database is PostgresDatabase pg)
        {
            using var pgConn = pg.DataSource.OpenConnection();
            using var pgCmd = new NpgsqlCommand(sql, pgConn);
            return Convert.ToInt64(pgCmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        using var conn = ((SqliteDatabase)_database).OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        await _backend.DisposeAsync();
        _dir.Dispose();
    }
}
