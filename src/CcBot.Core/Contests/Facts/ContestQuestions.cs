using System.Text;
using CcBot.Core.Activities;
using CcBot.Core.Dialogs;
using CcBot.Core.Nlu;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.Contests;

/// <summary>
/// Answers the exact question: the facts of a contest that match the question's words (and the classifier's intent as a
/// prior), the most relevant first, in a line or two, then the document that states them and buttons for the whole
/// section; status questions ("còn thi được không") with the state now in Vietnam time; the contest picked from the
/// question when only one contest's facts match; follow-ups carrying the previous question's subject; and, when no notice
/// states the fact, a plain "the notice does not state it" with the contacts and a human.
/// </summary>
public sealed class ContestQuestions(ContestFactIndex index, ContestCatalog catalog, ContestResolver resolver, ITextCatalog texts) : IContestQuestions
{
    /// <summary>State: the previous question's keys (for follow-ups), its fact kind, and a question waiting for a contest choice.</summary>
    public const string LastKeysKey = "facts.keys";
    public const string LastKindKey = "facts.kind";
    public const string PendingKey = "facts.pending";

    /// <summary>An answer fits one phone screen before its buttons.</summary>
    public const int MaxAnswerChars = 600;

    /// <summary>A fact matching this much of the question's rare words is what was asked even without a cue word.</summary>
    private const double StrongMatch = 4.0;

    /// <summary>A fact holding every rare word of the question scores this much from its words.</summary>
    private const double LexicalScale = 8.0;
    private const double IntentBoost = 1.5;
    private const double PreviousWeight = 0.6;
    private const double MinDistinctive = 3.0;

    private static readonly HashSet<string> NeverIntents = new(StringComparer.Ordinal) { "human", "subscribe", "unsubscribe", "thanks_bye" };

    private static readonly HashSet<string> TopicIntents = new(StringComparer.Ordinal) { "schedule", "contact", "submission", "registration", "rules", "prizes", "voting" };

    public bool TryAnswer(TurnContext turn, string text, Understanding understanding)
    {
        var intent = understanding.Kind == UnderstandingKind.Intent ? understanding.Intent : null;
        if (intent is not null && NeverIntents.Contains(intent))
        {
            return false;
        }

        var folded = index.Fold(text);
        var cues = QuestionCues.Read(folded);
        IReadOnlySet<FactKind> intentKinds = intent is not null && TopicIntents.Contains(intent) ? QuestionCues.ForIntent(intent) : new HashSet<FactKind>();
        // The classifier's intent is a prior: it counts when the question's own words name no kind, or agree with it.
        if (cues.Kinds.Count > 0 && !intentKinds.Overlaps(cues.Kinds))
        {
            intentKinds = new HashSet<FactKind>();
        }

        var named = resolver.FindCandidates(text) is { Count: 1 } found ? found[0] : null;
        var keys = ContentKeys(text);
        var previousKeys = turn.State.Values.GetValueOrDefault(LastKeysKey)?.Split('|', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var previousKind = Enum.TryParse<FactKind>(turn.State.Values.GetValueOrDefault(LastKindKey), out var pk) ? pk : (FactKind?)null;
        // A follow-up is short: "còn Hải Phòng thì sao?", "số điện thoại người đó?", "thế còn hạn báo cáo?".
        var words = keys.Count(k => !k.Contains(' ', StringComparison.Ordinal) && k.All(char.IsAscii));
        var followUp = previousKeys.Length > 0 && !cues.Status
            && (words == 0 || (cues.FollowUp && words <= 3) || (named is not null && words <= 2 && cues.Kinds.Count == 0));
        var cueKinds = new HashSet<FactKind>(cues.Kinds);
        if (followUp && cueKinds.Count == 0 && previousKind is { } prev)
        {
            cueKinds.Add(prev);
        }

        var weighted = Weighted(keys);
        if (followUp)
        {
            weighted.AddRange(previousKeys.Where(k => !keys.Contains(k)).Select(k => (Key: k, Weight: PreviousWeight)));
        }

        // A follow-up stays with the conversation's contest unless it names another.
        var distinctive = followUp ? null : Distinctive(keys);
        var contest = named ?? distinctive ?? Current(turn);
        var bestLexical = contest is null ? 0 : BestLexical(contest, weighted);
        // Strong only when the fact holds most of what the question says, words no fact uses counted as rare ones.
        var strong = bestLexical >= StrongMatch && bestLexical >= 0.5 * QuestionMass(weighted);
        // A topic intent (deadline, contact...) or an unsure classifier: the facts answer. Sure of something else: an FAQ entry
        // staff wrote yields only to a question naming its contest; "not about contests" to one whose words fit one contest's
        // facts; another intent (the quiz, results) only to a status question or one naming its contest and a kind of fact.
        var specific = named is not null || distinctive is not null || (followUp && turn.State.ContestId is not null);
        var taken = understanding.Kind switch
        {
            _ when intentKinds.Count > 0 => true,
            UnderstandingKind.Unsure => cues.Status || (cueKinds.Count > 0 && (specific || turn.State.ContestId is not null)) || (specific && strong),
            UnderstandingKind.Faq => named is not null && (cues.Status || cueKinds.Count > 0),
            UnderstandingKind.OutOfScope => specific && (cues.Status || cueKinds.Count > 0 || strong),
            _ => cues.Status || ((named ?? distinctive) is not null && cueKinds.Count > 0),
        };
        if (!taken)
        {
            return false;
        }

        if (contest is null)
        {
            contest = OnlyContestMatching(weighted, cueKinds.Count > 0 ? cueKinds : [.. intentKinds]);
            if (contest is null)
            {
                AskWhich(turn, text);
                return true;
            }
        }

        turn.State.ContestId = contest.Id;
        turn.State.Values.Remove(PendingKey);
        if (cues.Status)
        {
            Remember(turn, keys, previousKeys, FactKind.Time);
            turn.Reply(Status(contest, weighted, turn.Now));
            return true;
        }

        var facts = index.Of(contest);
        // What the question's own words ask for first (a phone, a date...): when the notice states nothing of it, say so.
        if (QuestionCues.Primary(cueKinds) is { } primary && !facts.Any(f => ContestFact.TopicFor(f.Kind) == ContestFact.TopicFor(primary)))
        {
            Remember(turn, keys, previousKeys, primary);
            turn.Reply(ContestAnswers.Answer(contest, ContestFact.TopicFor(primary), turn.Now, texts).Message);
            return true;
        }

        if (QuestionCues.Primary(cueKinds) is { } asked && !facts.Any(f => f.Kind == asked))
        {
            // A link asked of a notice that gives none is answered from the same section (its registration notes).
            var topic = ContestFact.TopicFor(asked);
            cueKinds.UnionWith(Enum.GetValues<FactKind>().Where(k => ContestFact.TopicFor(k) == topic));
        }

        var mass = KnownMass(weighted);
        var ranked = facts
            .Select(f => (Fact: f, Score: Score(f, weighted, mass, cueKinds, intentKinds)))
            .Where(r => r.Score > 0)
            .OrderByDescending(r => r.Score)
            .ToList();
        if (ranked.Count == 0 || (cueKinds.Count == 0 && intentKinds.Count > 0 && !ranked.Any(r => intentKinds.Contains(r.Fact.Kind)) && bestLexical < StrongMatch))
        {
            // Only the classifier's intent says what is asked and the notice has nothing of it.
            var topic = intentKinds.Count > 0 ? ContestFact.TopicFor(intentKinds.Min()) : ContestTopic.Overview;
            turn.Reply(ContestAnswers.Answer(contest, topic, turn.Now, texts).Message);
            return true;
        }

        var best = ranked[0];
        var chosen = ranked.TakeWhile((r, i) => i < 3 && r.Fact.Kind == best.Fact.Kind && r.Score >= 0.8 * best.Score).Select(r => r.Fact).ToList();
        Remember(turn, keys, previousKeys, best.Fact.Kind);
        turn.Reply(Compose(contest, chosen, trailing: Trailing(contest, chosen, turn.Now)));
        return true;
    }

    /// <summary>
    /// What a date answer or a "where to send" answer needs beside its facts: where the contest (or that deadline) stands now;
    /// and the submission deadline under the channels.
    /// </summary>
    private string? Trailing(Contest contest, IReadOnlyList<ContestFact> chosen, DateTimeOffset now)
    {
        var first = chosen[0];
        if (first.Milestone is { } m)
        {
            if (m.Kind is MilestoneKind.Opens or MilestoneKind.Closes)
            {
                return texts.Get("contests.fact.status", ("status", ScheduleCalculator.Describe(contest, now, texts)));
            }

            return now >= m.At
                ? texts.Get("contests.fact.deadline_past")
                : texts.Get("contests.fact.deadline_left", ("remaining", ScheduleCalculator.Duration(m.At - now, texts)));
        }

        return first.Kind == FactKind.Submission && contest.Closes is { } closes
            ? texts.Get("contests.fact.submission_deadline", ("label", closes.Label), ("when", ScheduleCalculator.When(closes, texts)))
            : null;
    }

    /// <summary>How a question is read and each fact of a contest scored (for tuning, from tests).</summary>
    internal IEnumerable<string> Explain(string text, string contestId, string? intent)
    {
        var cues = QuestionCues.Read(index.Fold(text));
        var keys = ContentKeys(text);
        var weighted = Weighted(keys);
        IReadOnlySet<FactKind> intentKinds = QuestionCues.ForIntent(intent);
        yield return $"keys: {string.Join(", ", keys.Select(k => $"{k}={index.Idf(k):0.0}"))}; cues: {string.Join(",", cues.Kinds)} status={cues.Status} followUp={cues.FollowUp}";
        var mass = KnownMass(weighted);
        foreach (var f in index.Of(catalog.Find(contestId)!).Select(f => (f, Score(f, weighted, mass, [.. cues.Kinds], intentKinds))).OrderByDescending(r => r.Item2).Take(6))
        {
            yield return $"{f.Item2:0.00} {f.f.Kind} lex={Lexical(f.f, weighted):0.00} {f.f.Text[..Math.Min(90, f.f.Text.Length)]}";
        }
    }

    /// <summary>
    /// Each key with its weight: a word inside a pair the facts know as a phrase ("kết thúc", "văn phòng") weighs half, so
    /// "kết" of "kết quả" and "thúc" of "thực hiện" do not outweigh the phrase itself.
    /// </summary>
    private WeightedKeys Weighted(List<string> keys)
    {
        var inPhrases = keys.Where(k => k.Contains(' ', StringComparison.Ordinal) && index.Idf(k) > 0).SelectMany(k => k.Split(' ')).ToHashSet(StringComparer.Ordinal);
        var weighted = new WeightedKeys();
        weighted.AddRange(keys.Select(k => (Key: k, Weight: !k.Contains(' ', StringComparison.Ordinal) && inPhrases.Contains(k) ? 0.5 : 1.0)));
        return weighted;
    }

    /// <summary>
    /// A question's weighted keys, with every fact's lexical score kept once computed: one question scores the same facts
    /// several times (the best match, the contest choice, the ranking). Not changed after the first score is taken.
    /// </summary>
    private sealed class WeightedKeys : List<(string Key, double Weight)>
    {
        public Dictionary<ContestFact, double>? Scores { get; set; }
    }

    /// <summary>The question's content keys: place names and years of the contests are left to the contest choice.</summary>
    private List<string> ContentKeys(string text) =>
        [.. index.Keys(text).Where(k => !k.Split(' ').Any(_placeKeys.Contains)).Distinct(StringComparer.Ordinal)];

    /// <summary>The contests' place names and years as keys: the same for every question, so read once.</summary>
    private readonly HashSet<string> _placeKeys = new(
        catalog.Contests.SelectMany(c => c.Places.SelectMany(p => index.Keys(p)).Append(c.Year.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        StringComparer.Ordinal);

    private Contest? Current(TurnContext turn) =>
        turn.State.ContestId is { } id && catalog.Find(id) is { } c ? c
        : catalog.Contests.Count == 1 ? catalog.Contests[0]
        : null;

    /// <summary>The one contest whose facts alone hold the question's rare words ("vòng sơ khảo", "Sở Tư pháp"), if any.</summary>
    private Contest? Distinctive(IEnumerable<string> keys)
    {
        var evidence = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (index.ContestsWith(key) is { Count: 1 } only)
            {
                var id = only.First();
                evidence[id] = evidence.GetValueOrDefault(id) + index.Idf(key);
            }
        }

        var top = evidence.OrderByDescending(e => e.Value).ToList();
        return top.Count > 0 && top[0].Value >= MinDistinctive && (top.Count == 1 || top[0].Value >= 2 * top[1].Value) ? catalog.Find(top[0].Key) : null;
    }

    /// <summary>With no contest chosen: the single contest with a matching fact of the kind asked, else none.</summary>
    private Contest? OnlyContestMatching(WeightedKeys weighted, IReadOnlySet<FactKind> kinds)
    {
        var matching = catalog.Contests
            .Where(c => index.Of(c).Any(f => (kinds.Count == 0 || kinds.Contains(f.Kind)) && Lexical(f, weighted) > 0))
            .ToList();
        return matching.Count == 1 ? matching[0] : null;
    }

    /// <summary>
    /// How well a fact answers: the share of the question's rare words it holds (0 to <see cref="LexicalScale"/>), plus the cue
    /// boost of its kind (the kind asked first weighs half again as much; a cued fact sharing no word with a question that
    /// names other kinds too weighs half), plus the classifier's prior.
    /// </summary>
    private double Score(ContestFact fact, WeightedKeys weighted, double mass, HashSet<FactKind> cueKinds, IReadOnlySet<FactKind> intentKinds)
    {
        var lexical = Lexical(fact, weighted);
        var share = mass > 0 ? LexicalScale * lexical / mass : 0;
        var cue = cueKinds.Contains(fact.Kind)
            ? QuestionCues.Boost(fact.Kind) * (QuestionCues.Primary(cueKinds) == fact.Kind ? 1.5 : 1) * (lexical > 0 || cueKinds.Count == 1 ? 1 : 0.5)
            : 0;
        return share + cue + (intentKinds.Contains(fact.Kind) ? IntentBoost : 0)
        // Asked "when", the contest's opening and closing come before the other dates.
        + (fact.Milestone?.Kind is MilestoneKind.Opens or MilestoneKind.Closes ? 0.5 : 0);
    }

    /// <summary>The best lexical score among the contest's facts (0 when none holds a key of the question).</summary>
    private double BestLexical(Contest contest, WeightedKeys weighted)
    {
        var best = 0.0;
        foreach (var (fact, score) in LexicalScores(weighted))
        {
            if (score > best && string.Equals(fact.Contest.Id, contest.Id, StringComparison.Ordinal))
            {
                best = score;
            }
        }

        return best;
    }

    /// <summary>The rarity of the question's keys a fact holds; a word counts once, within a matched pair if it is in one.</summary>
    private double Lexical(ContestFact fact, WeightedKeys weighted) => LexicalScores(weighted).GetValueOrDefault(fact);

    /// <summary>
    /// Every fact's lexical score for the question, from the facts each key is found in (a fact holding none of the question's
    /// keys scores 0 and is never visited): word pairs first, then the words no matched pair of that fact covers.
    /// </summary>
    private Dictionary<ContestFact, double> LexicalScores(WeightedKeys weighted)
    {
        if (weighted.Scores is { } known)
        {
            return known;
        }

        var scores = new Dictionary<ContestFact, double>(ReferenceEqualityComparer.Instance);
        Dictionary<ContestFact, HashSet<string>>? covered = null; // most facts match no word pair: no set for them
        foreach (var (key, weight) in weighted)
        {
            var space = key.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                continue;
            }

            var value = weight * Marks(key) * index.Idf(key);
            foreach (var fact in index.FactsWith(key))
            {
                scores[fact] = scores.GetValueOrDefault(fact) + value;
                covered ??= new Dictionary<ContestFact, HashSet<string>>(ReferenceEqualityComparer.Instance);
                if (!covered.TryGetValue(fact, out var words))
                {
                    covered[fact] = words = new HashSet<string>(StringComparer.Ordinal);
                }

                words.Add(key[..space]);
                words.Add(key[(space + 1)..]);
            }
        }

        foreach (var (key, weight) in weighted)
        {
            if (key.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            var value = weight * Marks(key) * index.Idf(key);
            foreach (var fact in index.FactsWith(key))
            {
                if (covered is not null && covered.TryGetValue(fact, out var words) && words.Contains(key))
                {
                    continue;
                }

                scores[fact] = scores.GetValueOrDefault(fact) + value;
            }
        }

        weighted.Scores = scores;
        return scores;
    }

    /// <summary>The rarity of the question's keys the facts know: the whole a fact's share is taken of (once per question).</summary>
    private double KnownMass(WeightedKeys weighted) => weighted.Sum(w => w.Weight * Marks(w.Key) * index.Idf(w.Key));

    /// <summary>The rarity of everything the question says: known keys by their idf, words no fact uses as the rarest.</summary>
    private double QuestionMass(WeightedKeys weighted)
    {
        var rarest = index.Facts.Count == 0 ? 1 : Math.Log(1 + index.Facts.Count);
        return weighted.Sum(w => w.Weight * Marks(w.Key) * (index.Idf(w.Key) > 0 ? index.Idf(w.Key)
            : !w.Key.Contains(' ', StringComparison.Ordinal) && w.Key.All(char.IsAscii) ? rarest : 0));
    }

    /// <summary>A key as written with its marks only tips the balance between facts its folded form matches alike.</summary>
    private static double Marks(string key) => key.Any(c => c > 0x7F) ? 0.3 : 1.0;

    private static void Remember(TurnContext turn, List<string> keys, string[] previousKeys, FactKind kind)
    {
        // A bare follow-up ("còn Hải Phòng thì sao?") keeps the subject it followed.
        turn.State.Values[LastKeysKey] = string.Join('|', keys.Count > 1 ? keys : keys.Concat(previousKeys).Distinct(StringComparer.Ordinal));
        turn.State.Values[LastKindKey] = kind.ToString();
    }

    private static ContestTopic TopicOf(HashSet<FactKind> kinds) => ContestFact.TopicFor(kinds.OrderBy(k => k).First());

    private void AskWhich(TurnContext turn, string text)
    {
        turn.State.Values[PendingKey] = text;
        turn.Reply(texts.Get("contests.fact.choose"), [.. catalog.Contests.Select(c => ReplyButton.Action(c.ShortName, $"contest:{c.Id}|question"))]);
    }

    /// <summary>The question the user asked before choosing a contest, answered once they chose.</summary>
    public bool TryAnswerPending(TurnContext turn) =>
        turn.State.Values.Remove(PendingKey, out var pending) && TryAnswer(turn, pending, new Understanding(UnderstandingKind.Unsure, "", 0));

    private OutboundMessage Status(Contest contest, WeightedKeys weighted, DateTimeOffset now)
    {
        // A status question about one milestone ("hạn báo cáo còn mấy ngày") answers for it; otherwise for the contest.
        var milestone = index.Of(contest)
            .Where(f => f.Milestone is not null)
            .Select(f => (Fact: f, Score: Lexical(f, weighted)))
            .Where(r => r.Score >= 2.0)
            .OrderByDescending(r => r.Score)
            .Select(r => r.Fact)
            .FirstOrDefault(f => f.Milestone!.Kind is not (MilestoneKind.Opens or MilestoneKind.Closes));
        // The best match being the opening or closing (or none) means the contest's own status.
        if (milestone is not null && index.Of(contest).Where(f => f.Milestone?.Kind is MilestoneKind.Opens or MilestoneKind.Closes).Any(f => Lexical(f, weighted) >= Lexical(milestone, weighted)))
        {
            milestone = null;
        }
        if (milestone?.Milestone is { } m)
        {
            var line = now >= m.At
                ? texts.Get("contests.fact.milestone_past", ("label", m.Label), ("when", ScheduleCalculator.When(m, texts)))
                : texts.Get("contests.fact.milestone_future", ("label", m.Label), ("when", ScheduleCalculator.When(m, texts)), ("remaining", ScheduleCalculator.Duration(m.At - now, texts)));
            return Compose(contest, [milestone], line);
        }

        var schedule = ScheduleCalculator.Compute(contest, now);
        if (schedule.Status == ContestStatus.Unknown)
        {
            return ContestAnswers.Answer(contest, ContestTopic.Schedule, now, texts).Message;
        }

        var source = (schedule.Status == ContestStatus.NotStarted ? schedule.Opens : schedule.Closes ?? schedule.Opens)!.Source;
        var facts = index.Of(contest).Where(f => f.Milestone is not null && f.Milestone == (schedule.Status == ContestStatus.NotStarted ? schedule.Opens : schedule.Closes)).ToList();
        var status = texts.Get("contests.fact.status", ("status", ScheduleCalculator.Describe(contest, now, texts)));
        return Compose(contest, facts.Count > 0 ? facts : [], status, source);
    }

    /// <summary>
    /// "**Contest** – fact", further facts of the same kind on their own lines, then "(Theo document)"; buttons for the whole
    /// section, the contacts' phones and the links named. Cut to <see cref="MaxAnswerChars"/> before the buttons.
    /// </summary>
    private OutboundMessage Compose(Contest contest, IReadOnlyList<ContestFact> facts, string? lead = null, string? leadSource = null, string? trailing = null)
    {
        var lines = new List<string>();
        if (lead is not null)
        {
            lines.Add(lead);
        }

        lines.AddRange(facts.Where(_ => lead is null).Select(f => f.Text));
        if (trailing is not null)
        {
            lines.Add(trailing);
        }
        var sources = facts.Select(f => f.Source).Append(leadSource).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var cite = string.Join("; ", sources.Select(s => ContestAnswers.Cite(contest.FindDocument(s) ?? contest.PrimaryDocument, texts)));
        var citation = texts.Get("contests.fact.according_to", ("document", cite));
        var header = texts.Get("contests.fact.header", ("name", contest.ShortName));
        string Render(IEnumerable<string> body) => header + " " + string.Join("\n", body) + "\n" + citation;
        var text = Render(lines);
        while (text.Length > MaxAnswerChars && lines.Count > 1)
        {
            lines.RemoveAt(lines.Count - 1);
            text = Render(lines);
        }

        if (text.Length > MaxAnswerChars)
        {
            var room = MaxAnswerChars - (text.Length - lines[0].Length) - 1;
            lines[0] = lines[0][..Math.Max(0, room)].TrimEnd() + "…";
            text = Render(lines);
        }

        var topic = facts.Count > 0 ? facts[0].Topic : ContestTopic.Schedule;
        var buttons = new List<ReplyButton>();
        foreach (var fact in facts)
        {
            if (fact.Contact is { } c)
            {
                buttons.AddRange(c.Phones.Select(p => ReplyButton.Link(texts.Get("contests.button.call", ("phone", p)), ContactFormatter.TelUri(p))));
            }
        }

        foreach (var ch in contest.SubmissionChannels.Where(c => c.Kind == SubmissionChannelKind.Email && facts.Any(f => f.Text.Contains(c.Value, StringComparison.Ordinal))))
        {
            buttons.Add(ReplyButton.Link(texts.Get("contests.button.email", ("email", ch.Value)), ContactFormatter.MailtoUri(ch.Value)));
        }

        foreach (var link in contest.Links.Where(l => facts.Any(f => f.Text.Contains(l.Url, StringComparison.Ordinal))))
        {
            buttons.Add(ReplyButton.Link(texts.Get("contests.button.link_" + ContestEnums.ToYaml(link.Kind)), link.Url));
        }

        buttons.Add(ReplyButton.Action(texts.Get("contests.fact.button.more", ("topic", texts.Get("contests.topic." + ContestEnums.ToYaml(topic)))), $"contest:{contest.Id}|{ContestEnums.ToYaml(topic)}"));
        if (catalog.Contests.Count > 1)
        {
            buttons.Add(ReplyButton.Action(texts.Get("contest.button.other"), "choose_contest"));
        }

        return new OutboundMessage { Text = text, Buttons = buttons.DistinctBy(b => (b.Url, b.Value)).ToArray() };
    }
}
