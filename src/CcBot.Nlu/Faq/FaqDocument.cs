namespace CcBot.Nlu;

/// <summary>One question/answer pair. <see cref="ContestId"/> is null for entries that apply to every contest.</summary>
public sealed record FaqDocument(string Id, string Question, string Answer, string? Source, string? ContestId);

/// <summary>
/// A search hit; <see cref="Score"/> is in [0, 1] (1 = the query matches the question as well as it matches itself).
/// <see cref="Coverage"/> is the share of the FAQ question's words (weighted by rarity) that the query contains:
/// near 1 when the message asks what the FAQ asks, low when it only shares a few of its words.
/// </summary>
public sealed record FaqHit(FaqDocument Document, double Score, double Coverage = 1.0);
