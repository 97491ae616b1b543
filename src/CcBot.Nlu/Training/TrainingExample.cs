namespace CcBot.Nlu;

public sealed record TrainingExample(string Intent, string Text);
