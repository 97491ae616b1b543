using CcBot.Core.Dialogs;
using CcBot.Core.Participants;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Quiz;

/// <summary>Registration of the quiz slice (question banks, practice and contest attempts, results, reports) and the participant profile.</summary>
public static class QuizServices
{
    public static IServiceCollection AddCcBotQuiz(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<IMigrationSource, QuizMigrations>();
        services.AddSingleton<IPostgresMigrationSource, PostgresQuizMigrations>();
        services.AddSingleton(sp => QuizSettingsCatalog.LoadFolder(Path.Combine(sp.GetRequiredService<ContentPaths>().Data, "quiz")));
        services.AddStore<IQuizStore, SqliteQuizStore, PostgresQuizStore>();
        services.AddSingleton<QuestionBanks>();
        services.AddSingleton<BankImporter>();
        services.AddSingleton<ContestAttempts>();
        services.AddSingleton<QuizResults>();
        services.AddSingleton<ParticipationReport>();

        services.AddSingleton<UnitDirectory>();
        services.AddSingleton<IParticipantChangeListener, QuizParticipantSync>();
        services.AddSingleton<IDialog, ParticipantDialog>();
        services.AddSingleton<IBotAction, ParticipantActions>();

        services.AddSingleton<IDialog, PracticeDialog>();
        services.AddSingleton<IDialog, ContestAttemptDialog>();
        services.AddSingleton<IBotAction, QuizActions>();
        return services;
    }
}
