namespace CcBot.Nlu;

/// <summary>The fixed set of intents the bot understands.</summary>
public static class IntentNames
{
    public const string GreetingHelp = "greeting_help";
    public const string Rules = "rules";
    public const string Schedule = "schedule";
    public const string Contact = "contact";
    public const string Submission = "submission";
    public const string Registration = "registration";
    public const string QuizStart = "quiz_start";
    public const string Results = "results";
    public const string Prizes = "prizes";
    public const string Voting = "voting";
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";
    public const string Human = "human";
    public const string ThanksBye = "thanks_bye";
    public const string OutOfScope = "out_of_scope";

    public static IReadOnlyList<string> All { get; } =
    [
        GreetingHelp, Rules, Schedule, Contact, Submission, Registration, QuizStart, Results,
        Prizes, Voting, Subscribe, Unsubscribe, Human, ThanksBye, OutOfScope,
    ];

    public static bool IsKnown(string intent) => All.Contains(intent, StringComparer.Ordinal);
}
