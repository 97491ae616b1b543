namespace CcBot.Nlu;

/// <summary>One question/answer pair. <see cref="ContestId"/> is null for entries that apply to every contest.</summary>
public sealed record FaqDocument(string Id, string Question, string Answer, string? Source, string? ContestId);

/// <summary>A search hit; <see cref="Score"/> is in [0, 1] (1 = the query matches the question as well as it matches itself).</summary>
public sealed record FaqHit(FaqDocument Document, double Score);
