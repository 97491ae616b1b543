namespace CcBot.Nlu;

/// <summary>
/// Thresholds of <see cref="RoutingPolicy"/>. Defaults TUNED_PLACEHOLDER
/// </summary>
public sealed record RoutingOptions
{
    /// <summary>Minimum calibrated confidence of the best intent.</summary>
    public double MinConfidence { get; init; } = 0.5;

    /// <summary>Minimum gap between the best and second-best intent confidence.</summary>
    public double MinMargin { get; init; } = 0.1;

    /// <summary>Minimum normalized BM25 score of the best FAQ hit.</summary>
    public double FaqMinScore { get; init; } = 0.5;

    /// <summary>A FAQ hit at least this good wins even over a confident intent (specific answers beat generic dialogs).</summary>
    public double FaqOverrideScore { get; init; } = 0.8;
}
