using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;
using YamlDotNet.Serialization.NamingConventions;

namespace CcBot.Core.Contests;

/// <summary>
/// Writes a <see cref="ContestDraft"/> as a contest YAML file (<c>status: draft</c>) with YamlDotNet's serializer: every
/// field the contest format has, null where the notice did not say, string values double-quoted (a date or a phone stays
/// a string); warnings as comments on top.
/// </summary>
public static class ContestDraftYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
        .WithEventEmitter(next => new PlainNulls(next))
        .DisableAliases()
        .Build();

    public static string Write(ContestDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var sb = new StringBuilder();
        sb.Append("# Draft extracted by 'ccbot contests ingest'. Check every field against the notice, complete it, then rename to <id>.yaml.\n");
        foreach (var warning in draft.Warnings)
        {
            sb.Append("# WARNING: ").Append(warning.ReplaceLineEndings(" ")).Append('\n');
        }

        sb.Append(Serializer.Serialize(ToFile(draft)));
        return sb.ToString();
    }

    private static DraftFile ToFile(ContestDraft d) => new()
    {
        Id = d.Id,
        Title = d.Title,
        ShortName = d.Title,
        Kind = d.Kind,
        Places = [.. d.Places],
        Year = d.Year,
        SourceDocuments = [.. new[] { d.Notice }.Concat(d.CitedDocuments).Select(doc => new DraftDocument
        {
            Id = doc.Id,
            Primary = doc.Primary ? true : null,
            Type = doc.Type,
            Number = doc.Number,
            Symbol = doc.Symbol,
            Date = doc.Date?.ToIso(),
            Issuer = doc.Issuer,
            Title = doc.Title,
            Summary = doc.Summary,
        })],
        Milestones = [.. d.Milestones.Select(m => new DraftMilestone
        {
            Id = m.Id,
            Label = m.Label,
            Kind = ContestEnums.ToYaml(m.Kind),
            At = m.Time is { } t
                ? m.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T" + t.ToString("HH:mm", CultureInfo.InvariantCulture)
                : m.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            EndOfDay = m.Time is null ? m.EndOfDay : null,
            Actor = m.Actor,
            Source = m.Source,
        })],
        SubmissionChannels = [.. d.Emails.Select(e => new DraftChannel { Kind = "email", Value = e, Source = "notice" })],
        Links = [.. d.Links.Select(l => new DraftLink { Kind = ContestEnums.ToYaml(l.Kind), Url = l.Url, Source = "notice" })],
        Contacts = [.. d.Contacts.Select(c => new DraftContactEntry { Name = c.Name, Role = c.Role, Phones = [c.Phone], Source = "notice" })],
        Warnings = [.. d.Warnings.Select(w => new DraftWarning { Text = w, Source = "notice" })],
    };

    /// <summary>A missing value is written plain (an empty YAML null: a field to fill in), never <c>""</c>, whatever the field's quoting.</summary>
    private sealed class PlainNulls(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Value is null)
            {
                eventInfo.Style = ScalarStyle.Plain;
            }

            base.Emit(eventInfo, emitter);
        }
    }

    private sealed class DraftFile
    {
        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string Id { get; init; } = "";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string Status { get; init; } = "draft";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Title { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? ShortName { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Kind { get; init; }

        public List<string> Places { get; init; } = [];

        public int? Year { get; init; }

        public List<DraftDocument> SourceDocuments { get; init; } = [];

        public List<DraftMilestone> Milestones { get; init; } = [];

        public List<DraftChannel> SubmissionChannels { get; init; } = [];

        public List<DraftLink> Links { get; init; } = [];

        public List<DraftContactEntry> Contacts { get; init; } = [];

        public List<DraftWarning> Warnings { get; init; } = [];
    }

    private sealed class DraftDocument
    {
        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string Id { get; init; } = "";

        [YamlMember(DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
        public bool? Primary { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Type { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Number { get; init; }

        [YamlMember(DefaultValuesHandling = DefaultValuesHandling.OmitNull, ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string? Symbol { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Date { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Issuer { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Title { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Summary { get; init; }
    }

    private sealed class DraftMilestone
    {
        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string Id { get; init; } = "";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Label { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string Kind { get; init; } = "";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string At { get; init; } = "";

        [YamlMember(DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
        public bool? EndOfDay { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Actor { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Source { get; init; }
    }

    private sealed class DraftChannel
    {
        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string Kind { get; init; } = "";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string Value { get; init; } = "";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string Source { get; init; } = "";
    }

    private sealed class DraftLink
    {
        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string Kind { get; init; } = "";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string Url { get; init; } = "";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string Source { get; init; } = "";
    }

    private sealed class DraftContactEntry
    {
        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string? Name { get; init; }

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string? Role { get; init; }

        public List<string> Phones { get; init; } = [];

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string Source { get; init; } = "";
    }

    private sealed class DraftWarning
    {
        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]
        public string Text { get; init; } = "";

        [YamlMember(ScalarStyle = ScalarStyle.DoubleQuoted)]

        public string Source { get; init; } = "";
    }
}
