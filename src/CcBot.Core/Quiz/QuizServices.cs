using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Quiz;

/// <summary>Registration of the quiz slice (question banks, practice and contest attempts, reports). Not built yet.</summary>
public static class QuizServices
{
    public static IServiceCollection AddCcBotQuiz(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }
}
