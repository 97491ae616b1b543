namespace CcBot.Nlu;

/// <summary>Hyper-parameters of <see cref="IntentTrainer"/>. Stored (as a fingerprint) with the model.</summary>
public sealed record IntentTrainerOptions
{
    public FeatureOptions Features { get; init; } = new();

    /// <summary>L2 regularization strength λ in loss = mean cross-entropy + (λ/2)·‖W‖².</summary>
    public double L2 { get; init; } = 3e-5;

    public LbfgsOptions Optimizer { get; init; } = new() { MaxIterations = 60, RelativeTolerance = 1e-5 };

    /// <summary>
    /// Folds used to fit the softmax temperature on held-out predictions (0 or 1 = no calibration, T = 1).
    /// </summary>
    public int CalibrationFolds { get; init; } = 3;

    /// <summary>Iteration cap of the calibration folds (the temperature is a single robust number; full convergence is not needed).</summary>
    public int CalibrationMaxIterations { get; init; } = 30;

    /// <summary>Seed of the deterministic fold assignment.</summary>
    public int Seed { get; init; } = 20251;

    /// <summary>Stable text used in the training-data fingerprint, so changing a hyper-parameter forces retraining.</summary>
    public string Fingerprint =>
        $"v1;bits={Features.HashBits};cg={Features.MinCharNgram}-{Features.MaxCharNgram};uw={Features.UnigramWeight:R};bw={Features.BigramWeight:R};" +
        $"cw={Features.CharNgramWeight:R};mt={Features.MaxTokens};l2={L2:R};it={Optimizer.MaxIterations};h={Optimizer.History};" +
        $"rt={Optimizer.RelativeTolerance:R};gt={Optimizer.GradientTolerance:R};cf={CalibrationFolds};ci={CalibrationMaxIterations};seed={Seed}";
}
