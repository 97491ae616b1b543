using CcBot.Core.Text;

namespace CcBot.Core.Contests;

/// <summary>What a fact is about: decides which questions it answers and which section its "more" button opens.</summary>
public enum FactKind
{
    Time,
    Contact,
    Submission,
    Link,
    Registration,
    Rule,
    Audience,
    Target,
    Organizer,
    Prize,
    Voting,
    Duty,
    Warning,
}

/// <summary>
/// One fact of one contest, as one sentence, with the document that states it: a deadline, a contact, a channel, a link,
/// a rule, a duty... <see cref="Keys"/> are the folded words (and word pairs) it can be found by.
/// </summary>
public sealed record ContestFact(Contest Contest, FactKind Kind, string Text, string Source, IReadOnlySet<string> Keys, Milestone? Milestone = null, ContestContact? Contact = null)
{
    /// <summary>The section the fact belongs to (its "Xem toàn bộ" button).</summary>
    public ContestTopic Topic => TopicFor(Kind);

    /// <summary>The section a kind of fact belongs to.</summary>
    public static ContestTopic TopicFor(FactKind kind) => kind switch
    {
        FactKind.Time => ContestTopic.Schedule,
        FactKind.Contact => ContestTopic.Contact,
        FactKind.Submission => ContestTopic.Submission,
        FactKind.Link or FactKind.Registration or FactKind.Warning => ContestTopic.Registration,
        FactKind.Rule or FactKind.Duty => ContestTopic.Rules,
        FactKind.Prize => ContestTopic.Prizes,
        FactKind.Voting => ContestTopic.Voting,
        _ => ContestTopic.Overview,
    };
}

/// <summary>Turns a contest's data file into its facts, each a sentence built from the file's fields only.</summary>
public static class ContestFactBuilder
{
    public static IEnumerable<(FactKind Kind, string Text, string Source, string Extra, Milestone? Milestone, ContestContact? Contact)> Build(Contest contest, ITextCatalog texts)
    {
        foreach (var m in contest.Milestones.OrderBy(m => m.At))
        {
            var actor = m.Actor is null ? "" : texts.Get("contests.schedule.actor", ("actor", m.Actor));
            yield return (FactKind.Time, texts.Get("contests.fact.milestone", ("label", m.Label), ("when", ScheduleCalculator.When(m, texts)), ("actor", actor)),
                m.Source, MilestoneWords(m.Kind), m, null);
        }

        foreach (var c in contest.Contacts)
        {
            yield return (FactKind.Contact, ContestAnswers.ContactLine(c, texts) + ".", c.Source, "", null, c);
        }

        foreach (var ch in contest.SubmissionChannels)
        {
            var channel = texts.Get("contests.channel." + ContestEnums.ToYaml(ch.Kind));
            // The address as written; the answer's buttons carry the mailto: link.
            var value = ch.Value;
            yield return (FactKind.Submission, texts.Get("contests.fact.channel", ("channel", channel), ("value", value), ("note", ch.Note is null ? "" : " – " + ch.Note.TrimEnd('.'))),
                ch.Source, ChannelWords(ch.Kind), null, null);
        }

        foreach (var l in contest.Links)
        {
            var kind = texts.Get("contests.link." + ContestEnums.ToYaml(l.Kind));
            yield return (FactKind.Link, texts.Get("contests.fact.link", ("kind", kind), ("url", l.Url), ("note", l.Note is null ? "" : " – " + l.Note.TrimEnd('.'))),
                l.Source, LinkWords(l.Kind), null, null);
        }

        foreach (var n in contest.RegistrationNotes)
        {
            yield return (FactKind.Registration, n.Text, n.Source, "", null, null);
        }

        foreach (var w in contest.Warnings)
        {
            yield return (FactKind.Warning, texts.Get("contests.registration.warning", ("text", w.Text)), w.Source, "", null, null);
        }

        foreach (var r in contest.RulesNotes)
        {
            yield return (FactKind.Rule, r.Text, r.Source, "", null, null);
        }

        if (contest.Audience is { } audience)
        {
            yield return (FactKind.Audience, texts.Get("contests.overview.audience", ("text", audience.Text)), audience.Source, "", null, null);
        }

        if (contest.ParticipationTarget is { } target)
        {
            yield return (FactKind.Target, texts.Get("contests.overview.target", ("text", target.Text)), target.Source, "", null, null);
        }

        if (contest.Organizer is { } organizer)
        {
            yield return (FactKind.Organizer, texts.Get("contests.overview.organizer", ("text", organizer.Text)), organizer.Source, "", null, null);
        }

        foreach (var p in contest.PrizesFunding)
        {
            yield return (FactKind.Prize, p.Text, p.Source, "", null, null);
        }

        foreach (var v in contest.Voting)
        {
            yield return (FactKind.Voting, v.Text, v.Source, "", null, null);
        }

        foreach (var d in contest.ReportingDuties)
        {
            var due = d.Due is not null && contest.Milestones.FirstOrDefault(m => m.Id == d.Due) is { } m
                ? " " + texts.Get("contests.fact.due", ("when", ScheduleCalculator.When(m, texts)))
                : "";
            yield return (FactKind.Duty, d.Text.TrimEnd('.') + due + ".", d.Source, "", null, null);
        }
    }

    /// <summary>Words a question about this kind of milestone uses though the label may not.</summary>
    private static string MilestoneWords(MilestoneKind kind) => kind switch
    {
        MilestoneKind.Opens => "mo bat dau khai mac",
        MilestoneKind.Closes => "ket thuc dong han chot han cuoi het han",
        MilestoneKind.Deadline => "han chot han cuoi han nop han gui",
        MilestoneKind.Report => "bao cao han bao cao",
        _ => "",
    };

    private static string ChannelWords(SubmissionChannelKind kind) => kind switch
    {
        SubmissionChannelKind.Email => "email mail thu dien tu thu cong vu",
        SubmissionChannelKind.Fanpage => "facebook fanpage",
        SubmissionChannelKind.Usb => "usb dia",
        SubmissionChannelKind.Eoffice => "eoffice e office van ban phan mem",
        SubmissionChannelKind.Website => "website trang web",
        SubmissionChannelKind.Office => "ban giao nop truc tiep van phong",
        _ => "",
    };

    private static string LinkWords(LinkKind kind) => kind switch
    {
        LinkKind.ContestSite => "trang thi website web dia chi link duong link thi o dau vao thi",
        LinkKind.Fanpage => "facebook fanpage trang",
        LinkKind.Video => "video clip",
        LinkKind.Portal => "cong thong tin cong dich vu cong website",
        _ => "",
    };
}
