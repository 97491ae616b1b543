using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CcBot.Core.Quiz;

/// <summary>
/// Organizer configuration of a contest's quiz, from <c>data/quiz/&lt;contest-id&gt;.quiz.yaml</c>. The notices state none of
/// these numbers: every value here is an organizer-set default, not a contest fact.
/// </summary>
public sealed class QuizSettings
{
    /// <summary>Questions drawn for one contest attempt.</summary>
    public int QuestionsPerAttempt { get; set; } = 10;

    /// <summary>Seconds allowed per question (null: only the per-attempt limit applies).</summary>
    public int? SecondsPerQuestion { get; set; }

    /// <summary>Seconds allowed for the whole attempt (used when <see cref="SecondsPerQuestion"/> is null).</summary>
    public int SecondsPerAttempt { get; set; } = 600;

    /// <summary>Contest attempts allowed per participant.</summary>
    public int AttemptLimit { get; set; } = 3;

    /// <summary>Questions in one practice round.</summary>
    public int PracticeSize { get; set; } = 5;

    /// <summary>Ask "how many participants will there be?" at the end of an attempt (the last tie-break).</summary>
    public bool PredictionQuestion { get; set; } = true;

    /// <summary>Seconds after the last answer during which the prediction is accepted.</summary>
    public int PredictionSeconds { get; set; } = 300;

    /// <summary>Rows shown on the leaderboard.</summary>
    public int LeaderboardSize { get; set; } = 10;

    /// <summary>The longest an attempt can last.</summary>
    public TimeSpan AttemptDuration => SecondsPerQuestion is { } q ? TimeSpan.FromSeconds((long)q * QuestionsPerAttempt) : TimeSpan.FromSeconds(SecondsPerAttempt);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (QuestionsPerAttempt is < 1 or > 200) errors.Add("questions_per_attempt must be 1..200");
        if (SecondsPerQuestion is < 5) errors.Add("seconds_per_question must be at least 5");
        if (SecondsPerAttempt < 10) errors.Add("seconds_per_attempt must be at least 10");
        if (AttemptLimit < 1) errors.Add("attempt_limit must be at least 1");
        if (PracticeSize < 1) errors.Add("practice_size must be at least 1");
        if (LeaderboardSize is < 1 or > 100) errors.Add("leaderboard_size must be 1..100");
        if (PredictionSeconds < 10) errors.Add("prediction_seconds must be at least 10");
        return errors;
    }
}

/// <summary>The quiz settings of every contest that has a <c>.quiz.yaml</c> file. A contest without one has no quiz.</summary>
public sealed class QuizSettingsCatalog(IReadOnlyDictionary<string, QuizSettings> byContest)
{
    public QuizSettings? Find(string contestId) => byContest.GetValueOrDefault(contestId);

    public IReadOnlyCollection<string> ContestIds => byContest.Keys.ToArray();

    public static QuizSettingsCatalog LoadFolder(string folder)
    {
        var map = new Dictionary<string, QuizSettings>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return new QuizSettingsCatalog(map);
        }

        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        foreach (var file in Directory.EnumerateFiles(folder, "*.quiz.yaml").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(file)[..^".quiz.yaml".Length];
            var settings = deserializer.Deserialize<QuizSettings?>(File.ReadAllText(file)) ?? new QuizSettings();
            var errors = settings.Validate();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"{file}: {string.Join("; ", errors)}");
            }

            map[id] = settings;
        }

        return new QuizSettingsCatalog(map);
    }
}
