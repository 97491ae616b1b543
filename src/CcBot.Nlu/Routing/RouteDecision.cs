namespace CcBot.Nlu;

public enum RouteKind
{
    /// <summary>Handle with the intent's dialog (<see cref="RouteDecision.Intent"/>).</summary>
    Intent,

    /// <summary>Answer with the FAQ entry (<see cref="RouteDecision.Faq"/>).</summary>
    Faq,

    /// <summary>Confidently unrelated to the contests: politely decline.</summary>
    OutOfScope,

    /// <summary>Not sure: the caller escalates to a human.</summary>
    Unsure,
}

public sealed record RouteDecision(RouteKind Kind, string? Intent = null, FaqHit? Faq = null)
{
    public static RouteDecision ForIntent(string intent) => new(RouteKind.Intent, intent);

    public static RouteDecision ForFaq(FaqHit hit) => new(RouteKind.Faq, null, hit);

    public static RouteDecision OutOfScope { get; } = new(RouteKind.OutOfScope);

    public static RouteDecision Unsure { get; } = new(RouteKind.Unsure);

    public override string ToString() => Kind switch
    {
        RouteKind.Intent => $"intent:{Intent}",
        RouteKind.Faq => $"faq:{Faq?.Document.Id}",
        _ => Kind == RouteKind.OutOfScope ? "out_of_scope" : "unsure",
    };
}
