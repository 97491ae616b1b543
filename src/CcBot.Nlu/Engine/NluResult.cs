namespace CcBot.Nlu;

public sealed record NluResult(NormalizedText Normalized, IntentPrediction Prediction, IReadOnlyList<FaqHit> FaqHits, RouteDecision Route);
