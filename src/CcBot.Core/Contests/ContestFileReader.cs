using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CcBot.Core.Contests;

/// <summary>One problem in a contest file: the file, the field path (e.g. <c>milestones[1].at</c>) and the line when known.</summary>
public sealed record ContestIssue(string File, string Path, long? Line, string Message)
{
    public override string ToString() =>
        Line is { } l ? $"{File}:{l}: {Path}: {Message}" : $"{File}: {Path}: {Message}";
}

/// <summary>
/// Reads one contest YAML file into a <see cref="Contest"/> and reports every schema problem it meets.
/// The result has a contest only when there are no issues.
/// </summary>
internal static partial class ContestFileReader
{
    private static readonly string[] TopKeys =
    [
        "id", "status", "title", "short_name", "kind", "places", "year", "organizer", "source_documents", "audience",
        "participation_target", "milestones", "submission_channels", "links", "contacts", "rules_notes",
        "registration_notes", "prizes_funding", "voting", "reporting_duties", "warnings",
    ];

    internal static (Contest? Contest, IReadOnlyList<ContestIssue> Issues) Read(string fileName, string yaml)
    {
        var ctx = new Ctx(fileName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml.Normalize(NormalizationForm.FormC)));
        }
        catch (YamlException ex)
        {
            ctx.Error("(file)", ex.Start.Line, "invalid YAML: " + ex.Message);
            return (null, ctx.Issues);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            ctx.Error("(file)", 1, "the file must be a YAML mapping");
            return (null, ctx.Issues);
        }

        var m = ctx.Map(root, "", TopKeys);
        var id = ctx.RequiredString(m, "", "id");
        if (id is not null && !SlugRegex().IsMatch(id))
        {
            ctx.Error("id", m.Line("id"), $"'{id}' is not a slug (lower-case letters, digits and '-')");
        }

        var isDraft = fileName.EndsWith(".draft.yaml", StringComparison.OrdinalIgnoreCase);
        if (id is not null && !string.Equals(Path.GetFileName(fileName), id + (isDraft ? ".draft.yaml" : ".yaml"), StringComparison.Ordinal))
        {
            ctx.Error("id", m.Line("id"), $"id '{id}' does not match the file name");
        }

        var status = ctx.OptionalString(m, "", "status");
        if (status is not null && status is not ("draft" or "published"))
        {
            ctx.Error("status", m.Line("status"), $"unknown status '{status}' (expected draft or published)");
        }
        else if (status == "draft" && !isDraft)
        {
            ctx.Error("status", m.Line("status"), "a draft must be named <id>.draft.yaml so that it is never loaded");
        }

        var title = ctx.RequiredString(m, "", "title");
        var shortName = ctx.RequiredString(m, "", "short_name");
        var kind = ctx.RequiredEnum<ContestKind>(m, "", "kind");
        var places = ctx.StringList(m, "", "places", required: true);
        var yearText = ctx.RequiredString(m, "", "year");
        var year = 0;
        if (yearText is not null && (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out year) || year is < 1990 or > 2100))
        {
            ctx.Error("year", m.Line("year"), $"'{yearText}' is not a year");
        }

        var docs = ReadDocuments(ctx, m);
        var docIds = docs.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        ctx.DocumentIds = docIds;

        var organizer = ctx.SourcedFact(m, "", "organizer");
        var audience = ctx.SourcedFact(m, "", "audience");
        var target = ctx.SourcedFact(m, "", "participation_target");
        var milestones = ReadMilestones(ctx, m);
        var milestoneIds = milestones.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);

        var channels = ctx.List(m, "", "submission_channels", (node, path) =>
        {
            var c = ctx.Map(node, path, ["kind", "value", "note", "source"]);
            var k = ctx.RequiredEnum<SubmissionChannelKind>(c, path, "kind");
            var value = ctx.RequiredString(c, path, "value");
            if (k == SubmissionChannelKind.Email && value is not null && !ContactFormatter.IsEmail(value))
            {
                ctx.Error(path + ".value", c.Line("value"), $"'{value}' is not an e-mail address");
            }

            if (k is SubmissionChannelKind.Fanpage or SubmissionChannelKind.Website && value is not null && !ContactFormatter.IsWebUrl(value))
            {
                ctx.Error(path + ".value", c.Line("value"), $"'{value}' is not an http(s) URL");
            }

            var src = ctx.Source(c, path);
            return k is null || value is null || src is null ? null : new SubmissionChannel(k.Value, value, ctx.OptionalString(c, path, "note"), src);
        });

        var links = ctx.List(m, "", "links", (node, path) =>
        {
            var c = ctx.Map(node, path, ["kind", "url", "note", "source"]);
            var k = ctx.RequiredEnum<LinkKind>(c, path, "kind");
            var url = ctx.RequiredString(c, path, "url");
            if (url is not null && !ContactFormatter.IsWebUrl(url))
            {
                ctx.Error(path + ".url", c.Line("url"), $"'{url}' is not an http(s) URL");
            }

            var src = ctx.Source(c, path);
            return k is null || url is null || src is null ? null : new ContestLink(k.Value, url, ctx.OptionalString(c, path, "note"), src);
        });

        var contacts = ctx.List(m, "", "contacts", (node, path) =>
        {
            var c = ctx.Map(node, path, ["name", "role", "phones", "email", "note", "source"]);
            var name = ctx.RequiredString(c, path, "name");
            var phones = ctx.StringList(c, path, "phones", required: false);
            for (var i = 0; i < phones.Count; i++)
            {
                if (!ContactFormatter.IsPhone(phones[i]))
                {
                    ctx.Error($"{path}.phones[{i}]", c.Line("phones"), $"'{phones[i]}' is not a Vietnamese phone number");
                }
            }

            var email = ctx.OptionalString(c, path, "email");
            if (email is not null && !ContactFormatter.IsEmail(email))
            {
                ctx.Error(path + ".email", c.Line("email"), $"'{email}' is not an e-mail address");
            }

            var src = ctx.Source(c, path);
            return name is null || src is null ? null : new ContestContact(name, ctx.OptionalString(c, path, "role"), phones, email, ctx.OptionalString(c, path, "note"), src);
        });

        var rules = ctx.SourcedList(m, "rules_notes");
        var registration = ctx.SourcedList(m, "registration_notes");
        var prizes = ctx.SourcedList(m, "prizes_funding");
        var voting = ctx.SourcedList(m, "voting");
        var warnings = ctx.SourcedList(m, "warnings");
        var duties = ctx.List(m, "", "reporting_duties", (node, path) =>
        {
            var c = ctx.Map(node, path, ["text", "due", "source"]);
            var text = ctx.RequiredString(c, path, "text");
            var due = ctx.OptionalString(c, path, "due");
            if (due is not null && !milestoneIds.Contains(due))
            {
                ctx.Error(path + ".due", c.Line("due"), $"unknown milestone id '{due}'");
            }

            var src = ctx.Source(c, path);
            return text is null || src is null ? null : new ReportingDuty(text, due, src);
        });

        if (ctx.Issues.Count > 0)
        {
            return (null, ctx.Issues);
        }

        var contest = new Contest
        {
            Id = id!,
            Title = title!,
            ShortName = shortName!,
            Kind = kind!.Value,
            Places = places,
            Year = year,
            IsDraft = status == "draft",
            Organizer = organizer,
            SourceDocuments = docs,
            Audience = audience,
            ParticipationTarget = target,
            Milestones = milestones,
            SubmissionChannels = channels,
            Links = links,
            Contacts = contacts,
            RulesNotes = rules,
            RegistrationNotes = registration,
            PrizesFunding = prizes,
            Voting = voting,
            ReportingDuties = duties,
            Warnings = warnings,
        };
        return (contest, ctx.Issues);
    }

    private static List<SourceDocument> ReadDocuments(Ctx ctx, MapView m)
    {
        var docs = ctx.List(m, "", "source_documents", (node, path) =>
        {
            var c = ctx.Map(node, path, ["id", "primary", "type", "number", "symbol", "date", "issuer", "title", "summary"]);
            var id = ctx.RequiredString(c, path, "id");
            var primaryText = ctx.OptionalString(c, path, "primary");
            if (primaryText is not null && primaryText is not ("true" or "false"))
            {
                ctx.Error(path + ".primary", c.Line("primary"), "must be true or false");
            }

            var number = ctx.OptionalString(c, path, "number");
            var symbol = ctx.OptionalString(c, path, "symbol");
            if (number is null && symbol is null)
            {
                ctx.Error(path + ".number", c.Line("number") ?? c.NodeLine, "a document needs a number or, when the number is blank on the notice, its symbol");
            }

            if (number is not null && !DocumentNumberRegex().IsMatch(number))
            {
                ctx.Error(path + ".number", c.Line("number"), $"'{number}' is not a document number like 3985/KH-UBND");
            }

            var dateText = ctx.OptionalString(c, path, "date");
            PartialDate? date = null;
            if (dateText is not null && !PartialDate.TryParse(dateText, out date))
            {
                ctx.Error(path + ".date", c.Line("date"), $"'{dateText}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
            }

            return id is null
                ? null
                : new SourceDocument(id, ctx.OptionalString(c, path, "type"), number, symbol, date, ctx.OptionalString(c, path, "issuer"),
                    ctx.OptionalString(c, path, "title"), ctx.OptionalString(c, path, "summary"), primaryText == "true");
        }, required: true);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < docs.Count; i++)
        {
            if (!seen.Add(docs[i].Id))
            {
                ctx.Error($"source_documents[{i}].id", m.Line("source_documents"), $"duplicate document id '{docs[i].Id}'");
            }
        }

        var primaries = docs.Count(d => d.Primary);
        if (m.Has("source_documents") && primaries != 1)
        {
            ctx.Error("source_documents", m.Line("source_documents"), $"exactly one document must be 'primary: true' (the notice itself), found {primaries}");
        }

        return docs;
    }

    private static List<Milestone> ReadMilestones(Ctx ctx, MapView m)
    {
        var atLines = new Dictionary<string, long?>(StringComparer.Ordinal);
        var list = ctx.List(m, "", "milestones", (node, path) =>
        {
            var c = ctx.Map(node, path, ["id", "label", "kind", "at", "end_of_day", "actor", "source"]);
            atLines[path] = c.Line("at") ?? c.NodeLine;
            var id = ctx.RequiredString(c, path, "id");
            var label = ctx.RequiredString(c, path, "label");
            var kind = ctx.RequiredEnum<MilestoneKind>(c, path, "kind");
            var at = ctx.RequiredString(c, path, "at");
            var eodText = ctx.OptionalString(c, path, "end_of_day");
            if (eodText is not null && eodText is not ("true" or "false"))
            {
                ctx.Error(path + ".end_of_day", c.Line("end_of_day"), "must be true or false");
            }

            DateOnly date = default;
            TimeOnly? time = null;
            var ok = false;
            if (at is not null)
            {
                ok = TryParseLocal(at, out date, out time, out var error);
                if (!ok)
                {
                    ctx.Error(path + ".at", c.Line("at"), error!);
                }
                else if (time is null && eodText is null)
                {
                    ctx.Error(path + ".end_of_day", c.Line("at"), "a date without time needs an explicit 'end_of_day: true' (24h00 of that day) or 'end_of_day: false' (start of that day, \"trước ngày ...\")");
                    ok = false;
                }
                else if (time is not null && eodText == "true")
                {
                    ctx.Error(path + ".end_of_day", c.Line("end_of_day"), "end_of_day applies only to a date without time");
                    ok = false;
                }
            }

            var src = ctx.Source(c, path);
            return id is null || label is null || kind is null || !ok || src is null
                ? null
                : new Milestone(id, label, kind.Value, date, time, eodText == "true", ctx.OptionalString(c, path, "actor"), src);
        });

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            if (!seen.Add(list[i].Id))
            {
                ctx.Error($"milestones[{i}].id", m.Line("milestones"), $"duplicate milestone id '{list[i].Id}'");
            }
        }

        var opens = list.FindIndex(x => x.Kind == MilestoneKind.Opens);
        var closes = list.FindIndex(x => x.Kind == MilestoneKind.Closes);
        if (opens >= 0 && closes >= 0 && list[opens].At > list[closes].At)
        {
            ctx.Error($"milestones[{closes}].at", atLines.GetValueOrDefault($"milestones[{closes}]") ?? m.Line("milestones"),
                string.Create(CultureInfo.InvariantCulture, $"closes ({list[closes].At:yyyy-MM-dd HH:mm}) is before opens ({list[opens].At:yyyy-MM-dd HH:mm})"));
        }

        if (list.Count(x => x.Kind == MilestoneKind.Opens) > 1 || list.Count(x => x.Kind == MilestoneKind.Closes) > 1)
        {
            ctx.Error("milestones", m.Line("milestones"), "at most one 'opens' and one 'closes' milestone");
        }

        return list;
    }

    /// <summary>Parses "2024-11-18T07:30", "2024-11-18T07:30+07:00" or "2021-07-15" (Vietnam local time).</summary>
    internal static bool TryParseLocal(string text, out DateOnly date, out TimeOnly? time, out string? error)
    {
        date = default;
        time = null;
        error = null;
        var match = LocalTimeRegex().Match(text.Trim());
        if (!match.Success)
        {
            error = $"'{text}' is not a local date-time (expected YYYY-MM-DDTHH:MM or YYYY-MM-DD, Vietnam time)";
            return false;
        }

        var offset = match.Groups["off"].Value;
        if (offset.Length > 0 && offset != "+07:00")
        {
            error = $"'{text}' has offset {offset}: contest times are Vietnam time (write no offset, or +07:00)";
            return false;
        }

        if (!DateOnly.TryParseExact(match.Groups["d"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            error = $"'{text}' is not a valid date";
            return false;
        }

        if (match.Groups["t"].Success)
        {
            if (!TimeOnly.TryParseExact(match.Groups["t"].Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            {
                error = $"'{text}' is not a valid time of day";
                return false;
            }

            time = t;
        }
        else if (offset.Length > 0)
        {
            error = $"'{text}': an offset needs a time of day";
            return false;
        }

        return true;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugRegex();

    [GeneratedRegex(@"^\d+/[\p{L}\d]+(-[\p{L}\d]+)*$")]
    private static partial Regex DocumentNumberRegex();

    [GeneratedRegex(@"^(?<d>\d{4}-\d{2}-\d{2})(T(?<t>\d{2}:\d{2})(?<off>Z|[+-]\d{2}:\d{2})?)?$")]
    private static partial Regex LocalTimeRegex();

    /// <summary>A mapping node with key lookup and line numbers.</summary>
    private sealed class MapView(YamlMappingNode? node, Dictionary<string, YamlNode> values, Dictionary<string, long> lines)
    {
        public long? NodeLine => node?.Start.Line;

        public bool Has(string key) => values.ContainsKey(key);

        public YamlNode? Get(string key) => values.GetValueOrDefault(key);

        public long? Line(string key) => lines.TryGetValue(key, out var l) ? l : null;
    }

    private sealed class Ctx(string file)
    {
        public List<ContestIssue> Issues { get; } = [];

        public HashSet<string> DocumentIds { get; set; } = [];

        public void Error(string path, long? line, string message) => Issues.Add(new ContestIssue(Path.GetFileName(file), path, line, message));

        public MapView Map(YamlNode node, string path, IReadOnlyCollection<string> allowed)
        {
            var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            var lines = new Dictionary<string, long>(StringComparer.Ordinal);
            if (node is not YamlMappingNode map)
            {
                Error(path.Length == 0 ? "(file)" : path, node.Start.Line, "must be a mapping");
                return new MapView(null, values, lines);
            }

            foreach (var (k, v) in map.Children)
            {
                var key = (k as YamlScalarNode)?.Value ?? "";
                var keyPath = Join(path, key);
                if (!allowed.Contains(key))
                {
                    Error(keyPath, k.Start.Line, $"unknown key '{key}'");
                    continue;
                }

                if (!values.TryAdd(key, v))
                {
                    Error(keyPath, k.Start.Line, $"duplicate key '{key}'");
                    continue;
                }

                lines[key] = k.Start.Line;
            }

            return new MapView(map, values, lines);
        }

        public string? OptionalString(MapView m, string path, string key)
        {
            var node = m.Get(key);
            if (node is null)
            {
                return null;
            }

            if (node is not YamlScalarNode s)
            {
                Error(Join(path, key), node.Start.Line, "must be a single value");
                return null;
            }

            if (s.Value is null || (s.Style == ScalarStyle.Plain && s.Value is "" or "~" or "null"))
            {
                return null;
            }

            var value = s.Value.Trim();
            return value.Length == 0 ? null : value;
        }

        public string? RequiredString(MapView m, string path, string key)
        {
            var value = OptionalString(m, path, key);
            if (value is null && !Issues.Any(i => i.Path == Join(path, key)))
            {
                Error(Join(path, key), m.Line(key) ?? m.NodeLine, "is required");
            }

            return value;
        }

        public TEnum? RequiredEnum<TEnum>(MapView m, string path, string key)
            where TEnum : struct, Enum
        {
            var value = RequiredString(m, path, key);
            if (value is null)
            {
                return null;
            }

            if (ContestEnums.TryParse<TEnum>(value, out var parsed))
            {
                return parsed;
            }

            Error(Join(path, key), m.Line(key), $"unknown value '{value}' (expected {string.Join(" | ", ContestEnums.Names<TEnum>())})");
            return null;
        }

        public string? Source(MapView m, string path)
        {
            var src = RequiredString(m, path, "source");
            if (src is not null && !DocumentIds.Contains(src))
            {
                Error(Join(path, "source"), m.Line("source"), $"unknown source document '{src}' (not in source_documents)");
                return null;
            }

            return src;
        }

        public SourcedText? SourcedFact(MapView m, string path, string key)
        {
            var node = m.Get(key);
            if (node is null || node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return null;
            }

            var p = Join(path, key);
            var c = Map(node, p, ["text", "source"]);
            var text = RequiredString(c, p, "text");
            var src = Source(c, p);
            return text is null || src is null ? null : new SourcedText(text, src);
        }

        public List<SourcedText> SourcedList(MapView m, string key) =>
            List(m, "", key, (node, path) =>
            {
                var c = Map(node, path, ["text", "source"]);
                var text = RequiredString(c, path, "text");
                var src = Source(c, path);
                return text is null || src is null ? null : new SourcedText(text, src);
            });

        public List<string> StringList(MapView m, string path, string key, bool required)
        {
            var result = new List<string>();
            var node = m.Get(key);
            var p = Join(path, key);
            if (node is null || node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                if (required)
                {
                    Error(p, m.Line(key) ?? m.NodeLine, "is required (a non-empty list)");
                }

                return result;
            }

            if (node is not YamlSequenceNode seq)
            {
                Error(p, node.Start.Line, "must be a list");
                return result;
            }

            for (var i = 0; i < seq.Children.Count; i++)
            {
                if (seq.Children[i] is YamlScalarNode { Value: { Length: > 0 } v })
                {
                    result.Add(v.Trim());
                }
                else
                {
                    Error($"{p}[{i}]", seq.Children[i].Start.Line, "must be a non-empty text");
                }
            }

            if (required && result.Count == 0)
            {
                Error(p, node.Start.Line, "must not be empty");
            }

            return result;
        }

        public List<T> List<T>(MapView m, string path, string key, Func<YamlNode, string, T?> read, bool required = false)
            where T : class
        {
            var result = new List<T>();
            var node = m.Get(key);
            var p = Join(path, key);
            if (node is null || node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                if (required)
                {
                    Error(p, m.Line(key) ?? m.NodeLine, "is required");
                }

                return result;
            }

            if (node is not YamlSequenceNode seq)
            {
                Error(p, node.Start.Line, "must be a list");
                return result;
            }

            for (var i = 0; i < seq.Children.Count; i++)
            {
                var item = read(seq.Children[i], $"{p}[{i}]");
                if (item is not null)
                {
                    result.Add(item);
                }
            }

            if (required && seq.Children.Count == 0)
            {
                Error(p, node.Start.Line, "must not be empty");
            }

            return result;
        }

        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
    }
}

/// <summary>snake_case names of the contest enums, as written in the YAML files.</summary>
public static class ContestEnums
{
    public static string ToYaml<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(name[i]));
        }

        return sb.ToString();
    }

    public static IEnumerable<string> Names<TEnum>()
        where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(ToYaml);

    public static bool TryParse<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (ToYaml(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
