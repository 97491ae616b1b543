namespace CcBot.Core.Nlu;

public enum UnderstandingKind
{
    /// <summary>A confident intent: route to its action.</summary>
    Intent,
    /// <summary>No confident intent but an FAQ entry answers it.</summary>
    Faq,
    /// <summary>Confidently not about the contests.</summary>
    OutOfScope,
    /// <summary>Not sure: say so, offer a human, record an escalation.</summary>
    Unsure,
}

public sealed record FaqAnswer(string Id, string Question, string Answer, string? Source, double Score);

/// <summary>The router's view of free text: intent, confidence and the routing decision.</summary>
public sealed record Understanding(UnderstandingKind Kind, string Intent, double Confidence, FaqAnswer? Faq = null);

/// <summary>Free text to a routing decision (implemented over the NLU library's classifier and FAQ index).</summary>
public interface ILanguageUnderstanding
{
    /// <param name="namesContest">The text names a contest (a place or contest name): evidence the message is on topic,
    /// so a top intent above the confidence floor is accepted even when its margin over the runner-up is small.</param>
    Understanding Understand(string text, bool namesContest = false);

    /// <summary>Completes once the model's first load attempt is over (at once afterwards): a turn that arrives during
    /// start-up waits for it instead of being understood by keywords only.</summary>
    ValueTask WhenReadyAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
