namespace CcBot.Nlu;

/// <summary>
/// Chooses what to do with a message:
/// 1. a near-exact FAQ match (score ≥ FaqOverrideScore and the message covers ≥ FaqOverrideCoverage of the FAQ
///    question, i.e. it asks what the FAQ asks, not merely shares its words), or a good match (≥ FaqMinScore) that
///    contains most of the question (≥ FaqAskedCoverage; typed without diacritics it scores lower) → Faq;
/// 2. a confident contest intent (confidence ≥ MinConfidence and margin ≥ MinMargin, not out_of_scope) → Intent;
/// 3. a good FAQ match (≥ FaqMinScore) → Faq;
/// 4. out_of_scope predicted with confidence ≥ MinConfidence → OutOfScope;
/// 5. otherwise → Unsure (escalate to a human).
/// </summary>
public sealed class RoutingPolicy
{
    public RoutingPolicy(RoutingOptions? options = null)
    {
        Options = options ?? new RoutingOptions();
    }

    public RoutingOptions Options { get; }

    public RouteDecision Decide(IntentPrediction prediction, IReadOnlyList<FaqHit> faqHits)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(faqHits);
        var bestFaq = faqHits.Count == 0 ? null : faqHits.MaxBy(h => h.Score);
        var outOfScope = prediction.Intent == IntentNames.OutOfScope;

        if (bestFaq is not null
            && ((bestFaq.Score >= Options.FaqOverrideScore && bestFaq.Coverage >= Options.FaqOverrideCoverage)
                || (bestFaq.Score >= Options.FaqMinScore && bestFaq.Coverage >= Options.FaqAskedCoverage)))
        {
            return RouteDecision.ForFaq(bestFaq);
        }
        if (!outOfScope && prediction.Confidence >= Options.MinConfidence && prediction.Margin >= Options.MinMargin)
        {
            return RouteDecision.ForIntent(prediction.Intent);
        }
        if (bestFaq is not null && bestFaq.Score >= Options.FaqMinScore) return RouteDecision.ForFaq(bestFaq);
        if (outOfScope && prediction.Confidence >= Options.MinConfidence) return RouteDecision.OutOfScope;
        return RouteDecision.Unsure;
    }
}
