using System.Text;
using CcBot.Core.Activities;
using CcBot.Core.Text;

namespace CcBot.Core.Contests;

/// <summary>What the user asks about a contest.</summary>
public enum ContestTopic
{
    Overview,
    Rules,
    Schedule,
    Contact,
    Submission,
    Registration,
    Voting,
    Prizes,
}

/// <summary>
/// An answer ready to send. <see cref="Stated"/> is false when the notice is silent on the topic (the text then says so and offers a contact or a human);
/// <see cref="CitedDocuments"/> are the ids of the source documents the text cites.
/// </summary>
public sealed record ContestAnswer(OutboundMessage Message, bool Stated, IReadOnlyList<string> CitedDocuments);

/// <summary>Builds Vietnamese answers about one contest from its data only; every fact is cited, nothing is guessed.</summary>
public static class ContestAnswers
{
    /// <summary>Button payload that hands the conversation to a person.</summary>
    public const string HumanAction = "human";

    public static ContestAnswer Answer(Contest contest, ContestTopic topic, DateTimeOffset now, ITextCatalog texts) => topic switch
    {
        ContestTopic.Overview => Overview(contest, now, texts),
        ContestTopic.Rules => Facts(contest, topic, texts, contest.RulesNotes, []),
        ContestTopic.Schedule => Schedule(contest, now, texts),
        ContestTopic.Contact => Contact(contest, texts),
        ContestTopic.Submission => Submission(contest, texts),
        ContestTopic.Registration => Registration(contest, texts),
        ContestTopic.Voting => Facts(contest, topic, texts, contest.Voting, LinkButtons(contest, texts, LinkKind.Fanpage)),
        ContestTopic.Prizes => Facts(contest, topic, texts, contest.PrizesFunding, []),
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, null),
    };

    /// <summary>"Công văn số 1587/CV-BTC ngày 14/11/2024 của Ban Tổ chức ...", "Công văn /SVHTTDL-VP (không ghi số) năm 2024 của ...".</summary>
    public static string Cite(SourceDocument document, ITextCatalog texts)
    {
        var type = document.Type ?? texts.Get("contests.doc.default_type");
        var sb = new StringBuilder();
        sb.Append(document.Number is not null
            ? texts.Get("contests.doc.numbered", ("type", type), ("number", document.Number))
            : texts.Get("contests.doc.unnumbered", ("type", type), ("symbol", document.Symbol ?? "")));
        if (document.Date is { } d)
        {
            sb.Append(' ');
            sb.Append(d.Day is not null
                ? texts.Get("contests.doc.date_day", ("date", ScheduleCalculator.Date(new DateOnly(d.Year, d.Month!.Value, d.Day.Value))))
                : d.Month is not null
                    ? texts.Get("contests.doc.date_month", ("month", d.Month), ("year", d.Year))
                    : texts.Get("contests.doc.date_year", ("year", d.Year)));
        }

        if (document.Issuer is not null)
        {
            sb.Append(' ');
            sb.Append(texts.Get("contests.doc.issuer", ("issuer", document.Issuer)));
        }

        return sb.ToString();
    }

    private static ContestAnswer Overview(Contest contest, DateTimeOffset now, ITextCatalog texts)
    {
        var lines = new List<(string Text, string Source)>();
        lines.Add((texts.Get("contests.overview.kind", ("kind", texts.Get("contests.kind." + ContestEnums.ToYaml(contest.Kind)))), contest.PrimaryDocument.Id));
        if (contest.Organizer is { } org)
        {
            lines.Add((texts.Get("contests.overview.organizer", ("text", org.Text)), org.Source));
        }

        if (contest.Audience is { } aud)
        {
            lines.Add((texts.Get("contests.overview.audience", ("text", aud.Text)), aud.Source));
        }

        if (contest.ParticipationTarget is { } target)
        {
            lines.Add((texts.Get("contests.overview.target", ("text", target.Text)), target.Source));
        }

        var body = Header(contest, texts) + "\n" + Grouped(contest, lines, texts, out var cited);
        body += "\n" + texts.Get("contests.overview.status", ("status", ScheduleCalculator.Describe(contest, now, texts)));
        if (contest.SourceDocuments.Count > 1)
        {
            body += "\n" + texts.Get("contests.overview.documents");
            foreach (var doc in contest.SourceDocuments.Where(d => !d.Primary))
            {
                body += "\n" + texts.Get("contests.answer.bullet", ("text", Cite(doc, texts) + (doc.Title is null ? "" : " - " + doc.Title)));
            }
        }

        body += "\n" + texts.Get("contests.overview.more");
        return Build(body, true, cited, LinkButtons(contest, texts));
    }

    private static ContestAnswer Schedule(Contest contest, DateTimeOffset now, ITextCatalog texts)
    {
        if (contest.Milestones.Count == 0)
        {
            return Missing(contest, ContestTopic.Schedule, texts, LinkButtons(contest, texts, LinkKind.ContestSite, LinkKind.Portal));
        }

        var lines = contest.Milestones
            .OrderBy(m => m.At)
            .Select(m => (texts.Get("contests.schedule.item", ("label", m.Label), ("when", ScheduleCalculator.When(m, texts)),
                ("actor", m.Actor is null ? "" : texts.Get("contests.schedule.actor", ("actor", m.Actor)))), m.Source))
            .ToList();
        var body = Header(contest, texts) + "\n"
            + texts.Get("contests.schedule.status", ("status", ScheduleCalculator.Describe(contest, now, texts))) + "\n"
            + Grouped(contest, lines, texts, out var cited);
        return Build(body, true, cited, LinkButtons(contest, texts, LinkKind.ContestSite, LinkKind.Portal));
    }

    private static ContestAnswer Contact(Contest contest, ITextCatalog texts)
    {
        if (contest.Contacts.Count == 0)
        {
            return Missing(contest, ContestTopic.Contact, texts, []);
        }

        var lines = contest.Contacts.Select(c => (ContactLine(c, texts), c.Source)).ToList();
        var body = Header(contest, texts) + "\n" + Grouped(contest, lines, texts, out var cited);
        return Build(body, true, cited, ContactButtons(contest, texts));
    }

    private static ContestAnswer Submission(Contest contest, ITextCatalog texts)
    {
        if (contest.SubmissionChannels.Count == 0)
        {
            return Missing(contest, ContestTopic.Submission, texts, LinkButtons(contest, texts, LinkKind.ContestSite, LinkKind.Portal));
        }

        var lines = contest.SubmissionChannels.Select(ch => (texts.Get("contests.submission.item",
            ("channel", texts.Get("contests.channel." + ContestEnums.ToYaml(ch.Kind))),
            ("value", ch.Kind == SubmissionChannelKind.Email ? ContactFormatter.DialableEmail(ch.Value) : ch.Value),
            ("note", ch.Note is null ? "" : " - " + ch.Note)), ch.Source)).ToList();
        foreach (var m in contest.Milestones.Where(m => m.Kind is MilestoneKind.Closes or MilestoneKind.Deadline).OrderBy(m => m.At))
        {
            lines.Add((texts.Get("contests.submission.deadline", ("label", m.Label), ("when", ScheduleCalculator.When(m, texts))), m.Source));
        }

        var buttons = new List<ReplyButton>();
        foreach (var ch in contest.SubmissionChannels)
        {
            if (ch.Kind == SubmissionChannelKind.Email)
            {
                buttons.Add(ReplyButton.Link(texts.Get("contests.button.email", ("email", ch.Value)), ContactFormatter.MailtoUri(ch.Value)));
            }
            else if (ch.Kind is SubmissionChannelKind.Fanpage or SubmissionChannelKind.Website && ContactFormatter.IsWebUrl(ch.Value))
            {
                buttons.Add(ReplyButton.Link(texts.Get("contests.button.open_" + ContestEnums.ToYaml(ch.Kind)), ch.Value));
            }
        }

        var body = Header(contest, texts) + "\n" + Grouped(contest, lines, texts, out var cited);
        return Build(body, true, cited, buttons);
    }

    private static ContestAnswer Registration(Contest contest, ITextCatalog texts)
    {
        var lines = contest.RegistrationNotes.Select(n => (n.Text, n.Source)).ToList();
        lines.AddRange(contest.Links.Select(l => (texts.Get("contests.registration.link",
            ("kind", texts.Get("contests.link." + ContestEnums.ToYaml(l.Kind))), ("url", l.Url), ("note", l.Note is null ? "" : " - " + l.Note)), l.Source)));
        lines.AddRange(contest.Warnings.Select(w => (texts.Get("contests.registration.warning", ("text", w.Text)), w.Source)));
        if (lines.Count == 0)
        {
            return Missing(contest, ContestTopic.Registration, texts, []);
        }

        var body = Header(contest, texts) + "\n" + Grouped(contest, lines, texts, out var cited);
        if (contest.Links.Count == 0)
        {
            body += "\n" + texts.Get("contests.registration.no_link");
        }

        return Build(body, true, cited, LinkButtons(contest, texts));
    }

    private static ContestAnswer Facts(Contest contest, ContestTopic topic, ITextCatalog texts, IReadOnlyList<SourcedText> facts, IReadOnlyList<ReplyButton> buttons)
    {
        if (facts.Count == 0)
        {
            return Missing(contest, topic, texts, buttons);
        }

        var body = Header(contest, texts) + "\n" + Grouped(contest, facts.Select(f => (f.Text, f.Source)).ToList(), texts, out var cited);
        return Build(body, true, cited, buttons);
    }

    /// <summary>The notice is silent: say so, cite it, and offer the stated contacts (if any) and a human.</summary>
    private static ContestAnswer Missing(Contest contest, ContestTopic topic, ITextCatalog texts, IReadOnlyList<ReplyButton> extraButtons)
    {
        var primary = contest.PrimaryDocument;
        var body = Header(contest, texts) + "\n" + texts.Get("contests.missing",
            ("document", Cite(primary, texts)), ("topic", texts.Get("contests.topic." + ContestEnums.ToYaml(topic))));
        var buttons = new List<ReplyButton>(extraButtons);
        if (contest.Contacts.Count > 0)
        {
            body += "\n" + texts.Get("contests.missing.contacts");
            foreach (var c in contest.Contacts)
            {
                body += "\n" + texts.Get("contests.answer.bullet", ("text", ContactLine(c, texts)));
            }

            buttons.AddRange(ContactButtons(contest, texts));
        }
        else if (topic != ContestTopic.Contact)
        {
            body += "\n" + texts.Get("contests.missing.no_contacts");
        }
        else
        {
            body += "\n" + texts.Get("contests.missing.ask_human");
        }

        buttons.Add(ReplyButton.Action(texts.Get("contests.button.human"), HumanAction));
        return Build(body, false, [primary.Id], buttons);
    }

    private static string Header(Contest contest, ITextCatalog texts) => texts.Get("contests.answer.header", ("name", contest.ShortName));

    /// <summary>Facts grouped under "Theo {document}:" in the order their documents first appear.</summary>
    private static string Grouped(Contest contest, List<(string Text, string Source)> lines, ITextCatalog texts, out List<string> cited)
    {
        cited = [];
        var sb = new StringBuilder();
        foreach (var group in lines.GroupBy(l => l.Source))
        {
            var doc = contest.FindDocument(group.Key) ?? contest.PrimaryDocument;
            cited.Add(doc.Id);
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(texts.Get("contests.answer.according_to", ("document", Cite(doc, texts))));
            foreach (var (text, _) in group)
            {
                sb.Append('\n').Append(texts.Get("contests.answer.bullet", ("text", text)));
            }
        }

        return sb.ToString();
    }

    internal static string ContactLine(ContestContact c, ITextCatalog texts)
    {
        var sb = new StringBuilder(c.Name);
        if (c.Role is not null)
        {
            sb.Append(", ").Append(c.Role);
        }

        foreach (var phone in c.Phones)
        {
            sb.Append(", ").Append(texts.Get("contests.contact.phone", ("phone", ContactFormatter.DialablePhone(phone))));
        }

        if (c.Email is not null)
        {
            sb.Append(", ").Append(texts.Get("contests.contact.email", ("email", ContactFormatter.DialableEmail(c.Email))));
        }

        if (c.Note is not null)
        {
            sb.Append(" (").Append(c.Note).Append(')');
        }

        return sb.ToString();
    }

    internal static List<ReplyButton> ContactButtons(Contest contest, ITextCatalog texts)
    {
        var buttons = new List<ReplyButton>();
        foreach (var c in contest.Contacts)
        {
            buttons.AddRange(c.Phones.Select(p => ReplyButton.Link(texts.Get("contests.button.call", ("phone", p)), ContactFormatter.TelUri(p))));
            if (c.Email is not null)
            {
                buttons.Add(ReplyButton.Link(texts.Get("contests.button.email", ("email", c.Email)), ContactFormatter.MailtoUri(c.Email)));
            }
        }

        return buttons;
    }

    private static List<ReplyButton> LinkButtons(Contest contest, ITextCatalog texts, params LinkKind[] kinds) =>
        contest.Links
            .Where(l => kinds.Length == 0 || kinds.Contains(l.Kind))
            .Select(l => ReplyButton.Link(texts.Get("contests.button.link_" + ContestEnums.ToYaml(l.Kind)), l.Url))
            .ToList();

    private static ContestAnswer Build(string text, bool stated, List<string> cited, IReadOnlyList<ReplyButton> buttons) =>
        new(new OutboundMessage { Text = text, Buttons = buttons.DistinctBy(b => (b.Url, b.Value)).ToArray() }, stated, cited.Distinct().ToArray());
}
