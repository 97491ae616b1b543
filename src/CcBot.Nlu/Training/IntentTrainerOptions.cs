using System.Globalization;

namespace CcBot.Nlu;

/// <summary>The ML.NET multiclass trainers the classifier can use; both produce a linear softmax model.</summary>
public enum IntentTrainerKind
{
    /// <summary><c>MulticlassClassification.Trainers.LbfgsMaximumEntropy</c>: L-BFGS on the regularized multinomial log-loss.</summary>
    LbfgsMaximumEntropy,

    /// <summary><c>MulticlassClassification.Trainers.SdcaMaximumEntropy</c>: stochastic dual coordinate ascent on the same loss.</summary>
    SdcaMaximumEntropy,
}

/// <summary>Hyper-parameters of <see cref="IntentTrainer"/>. Stored (as a fingerprint) with the model.</summary>
public sealed record IntentTrainerOptions
{
    public FeatureOptions Features { get; init; } = new();

    /// <summary>The ML.NET trainer; chosen by 5-fold cross-validation (<c>nlu select</c>, <see cref="IntentTrainerSelection"/>).</summary>
    public IntentTrainerKind Trainer { get; init; } = IntentTrainerKind.LbfgsMaximumEntropy;

    /// <summary>ML.NET's <c>L2Regularization</c> of the trainer.</summary>
    public float L2 { get; init; } = 0.01f;

    /// <summary>ML.NET's <c>L1Regularization</c> of the trainer (0 keeps every trained feature).</summary>
    public float L1 { get; init; }

    /// <summary>Iteration cap (L-BFGS iterations or SDCA passes over the data).</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Convergence tolerance (L-BFGS <c>OptimizationTolerance</c>, SDCA <c>ConvergenceTolerance</c>).</summary>
    public float Tolerance { get; init; } = 1e-6f;

    /// <summary>
    /// Folds used to fit the softmax temperature on held-out predictions (0 or 1 = no calibration, T = 1).
    /// </summary>
    public int CalibrationFolds { get; init; } = 3;

    /// <summary>Seed of the deterministic fold assignment and of ML.NET's context.</summary>
    public int Seed { get; init; } = 20251;

    /// <summary>Stable text used in the training-data fingerprint, so changing a hyper-parameter forces retraining.</summary>
    public string Fingerprint => string.Create(CultureInfo.InvariantCulture,
        $"v2-mlnet;bits={Features.HashBits};cg={Features.MinCharNgram}-{Features.MaxCharNgram};uw={Features.UnigramWeight:R};bw={Features.BigramWeight:R};" +
        $"cw={Features.CharNgramWeight:R};mt={Features.MaxTokens};tr={Trainer};l2={L2:R};l1={L1:R};it={MaxIterations};tol={Tolerance:R};" +
        $"cf={CalibrationFolds};seed={Seed}");

    public void Validate()
    {
        Features.Validate();
        if (!Enum.IsDefined(Trainer)) throw new ArgumentOutOfRangeException(nameof(Trainer), Trainer, "Unknown trainer.");
        if (!(L2 >= 0) || !(L1 >= 0)) throw new ArgumentOutOfRangeException(nameof(L2), "Regularization must be ≥ 0.");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations));
        if (!(Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance));
    }
}
