namespace CcBot.Nlu;

/// <summary>Classifies a free-text message into one of <see cref="IntentNames.All"/>.</summary>
public interface IIntentClassifier
{
    IntentPrediction Predict(string text);
}

public sealed record IntentScore(string Intent, double Confidence);

/// <summary>Best intent with its calibrated probability, and the three best candidates (best first).</summary>
public sealed record IntentPrediction(string Intent, double Confidence, IReadOnlyList<IntentScore> Top3)
{
    /// <summary>Confidence of the best minus the second best candidate.</summary>
    public double Margin => Top3.Count > 1 ? Top3[0].Confidence - Top3[1].Confidence : Top3.Count == 1 ? Top3[0].Confidence : 0;
}
