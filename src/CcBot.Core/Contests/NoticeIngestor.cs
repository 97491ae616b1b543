using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CcBot.Core.Contests;

/// <summary>A notice that cannot be ingested (empty, binary, too large, unsupported); no draft is written.</summary>
public sealed class NoticeIngestException(string message) : Exception(message);

/// <summary>A phone number found in a notice, with the person or office it belongs to when the sentence says so.</summary>
public sealed record DraftContact(string? Name, string? Role, string Phone);

/// <summary>What <see cref="NoticeIngestor"/> extracted from a notice. Everything here is copied from the text; nothing is inferred beyond it.</summary>
public sealed record ContestDraft
{
    public required string Id { get; init; }
    public string? Title { get; init; }
    /// <summary>The contest name written in quotes “...”, when there is one.</summary>
    public string? ContestName { get; init; }
    /// <summary>A snake_case <see cref="ContestKind"/> suggested from keywords, or null.</summary>
    public string? Kind { get; init; }
    public IReadOnlyList<string> Places { get; init; } = [];
    public int? Year { get; init; }
    public required SourceDocument Notice { get; init; }
    public IReadOnlyList<SourceDocument> CitedDocuments { get; init; } = [];
    public IReadOnlyList<Milestone> Milestones { get; init; } = [];
    public IReadOnlyList<DraftContact> Contacts { get; init; } = [];
    public IReadOnlyList<string> Emails { get; init; } = [];
    /// <summary>URLs kept as links (suspected typo duplicates are left out and reported as warnings).</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];
    /// <summary>The kept URLs with a kind suggested from the words before them.</summary>
    public IReadOnlyList<ContestLink> Links { get; init; } = [];
    public IReadOnlyList<string> SuspectUrls { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

public sealed record IngestResult(ContestDraft Draft, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads an official notice (.txt, .md or .docx) and extracts a contest draft: number, date, issuer, title, cited documents,
/// times, deadlines, phones, e-mails, URLs and named contacts. Ambiguities become warnings.
/// </summary>
public static partial class NoticeIngestor
{
    public const long MaxFileBytes = 2 * 1024 * 1024;

    public static IngestResult Ingest(string path)
    {
        var text = ReadText(path);
        return IngestText(text, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Reads the text of a notice, rejecting empty, binary, oversized and unsupported files.</summary>
    public static string ReadText(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new NoticeIngestException($"File not found: {path}");
        }

        if (info.Length > MaxFileBytes)
        {
            throw new NoticeIngestException($"File too large: {info.Length:N0} bytes (limit {MaxFileBytes:N0} bytes): {path}");
        }

        if (info.Length == 0)
        {
            throw new NoticeIngestException($"File is empty: {path}");
        }

        var ext = info.Extension.ToLowerInvariant();
        string text;
        if (ext == ".docx")
        {
            text = ReadDocx(path);
        }
        else if (ext is ".txt" or ".md")
        {
            var bytes = File.ReadAllBytes(path);
            if (Array.IndexOf(bytes, (byte)0) >= 0)
            {
                throw new NoticeIngestException($"File is binary (contains NUL bytes), expected UTF-8 text: {path}");
            }

            try
            {
                text = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new NoticeIngestException($"File is not valid UTF-8 text: {path}");
            }

            text = text.TrimStart('\uFEFF');
        }
        else
        {
            throw new NoticeIngestException($"Unsupported file type '{ext}' (expected .txt, .md or .docx): {path}");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new NoticeIngestException($"File has no text: {path}");
        }

        return text.Normalize(NormalizationForm.FormC);
    }

    private static string ReadDocx(string path)
    {
        try
        {
            using var doc = WordprocessingDocument.Open(path, false);
            var body = doc.MainDocumentPart?.Document?.Body
                ?? throw new NoticeIngestException($"The .docx has no document body: {path}");
            return string.Join("\n", body.Descendants<Paragraph>().Select(p => p.InnerText));
        }
        catch (Exception ex) when (ex is InvalidDataException or OpenXmlPackageException or FileFormatException or IOException and not FileNotFoundException)
        {
            throw new NoticeIngestException($"Not a valid .docx file (expected a Word zip package): {path}");
        }
    }

    /// <summary>Extracts a draft from the notice text. <paramref name="fallbackId"/> names the draft when no place and year are found.</summary>
    public static IngestResult IngestText(string rawText, string fallbackId)
    {
        var warnings = new List<string>();
        var text = rawText.Replace("\r\n", "\n").Replace('\r', '\n').Replace("**", "").Replace("*", "");
        var lines = text.Split('\n').Select(l => l.Trim()).ToArray();

        // Document number.
        string? number = null, symbol = null;
        var numberMatch = NumberLineRegex().Match(text);
        if (numberMatch.Success)
        {
            var digits = numberMatch.Groups["n"].Value.Trim();
            symbol = "/" + numberMatch.Groups["sym"].Value.Trim();
            if (digits.Length > 0)
            {
                number = digits + symbol;
                symbol = null;
            }
            else
            {
                warnings.Add($"The notice has no document number (only the symbol '{symbol}').");
            }
        }
        else
        {
            warnings.Add("No 'Số: ...' line found: the document number is unknown.");
        }

        // Place and date line.
        PartialDate? date = null;
        var places = new List<string>();
        var placeMatch = PlaceDateRegex().Match(text);
        if (placeMatch.Success)
        {
            places.Add(placeMatch.Groups["place"].Value.Trim());
            var y = int.Parse(placeMatch.Groups["y"].Value, CultureInfo.InvariantCulture);
            int? m = placeMatch.Groups["m"].Success ? int.Parse(placeMatch.Groups["m"].Value, CultureInfo.InvariantCulture) : null;
            int? d = placeMatch.Groups["d"].Success && m is not null ? int.Parse(placeMatch.Groups["d"].Value, CultureInfo.InvariantCulture) : null;
            date = new PartialDate(y, m, d);
            if (d is null)
            {
                warnings.Add($"The notice date is incomplete: '{placeMatch.Value.Trim()}' (recorded as {date.ToIso()}).");
            }
        }
        else
        {
            warnings.Add("No '<place>, ngày ... tháng ... năm ...' line found: the notice date and place are unknown.");
        }

        // Type and title.
        var type = lines.Any(l => l.TrimStart('#', ' ').Equals("THÔNG BÁO", StringComparison.Ordinal)) ? "Thông báo" : null;
        var title = ExtractTitle(lines);
        if (title is null)
        {
            warnings.Add("No 'V/v ...' or 'Về việc ...' title found.");
        }
        else if (type is null && title.StartsWith("V/v", StringComparison.Ordinal))
        {
            type = "Công văn";
        }

        var issuer = ExtractIssuer(lines, text, warnings);
        var quoted = QuoteRegex().Match(title ?? "") is { Success: true } qt ? qt.Groups[1].Value.Trim()
            : QuoteRegex().Match(text) is { Success: true } qb ? qb.Groups[1].Value.Trim() : null;
        var contestTitle = ContestTitle(title);
        var year = date?.Year ?? (YearRegex().Match(title ?? "") is { Success: true } ym ? int.Parse(ym.Value, CultureInfo.InvariantCulture) : null);

        // Cited documents (their dates are not milestones).
        var consumed = new List<(int Start, int End)>();
        var cited = new List<SourceDocument>();
        foreach (Match c in CitedRegex().Matches(text))
        {
            consumed.Add((c.Index, c.Index + c.Length));
            var num = c.Groups["num"].Value.TrimEnd('.', ',', ';');
            if (cited.Any(x => x.Number == num) || num == number)
            {
                continue;
            }

            PartialDate? cdate = ParseDmy(c.Groups["date"].Value);
            if (cdate is null)
            {
                // "Ngày 12/4/2020, UBND tỉnh đã ban hành Kế hoạch số 1520/KH-UBND ..."
                var before = text[Math.Max(0, c.Index - 80)..c.Index];
                if (IssuedOnRegex().Match(before) is { Success: true } io)
                {
                    cdate = ParseDmy(io.Groups["date"].Value);
                    var start = Math.Max(0, c.Index - 80) + io.Index;
                    consumed.Add((start, start + io.Length));
                }
            }

            var rest = c.Groups["rest"].Value.Trim().TrimEnd(';', '.', ',').Trim();
            string? cIssuer = null;
            if (IssuerOfRegex().Match(rest) is { Success: true } io2)
            {
                cIssuer = io2.Groups[1].Value.Trim();
            }

            cited.Add(new SourceDocument(DocId(c.Groups["type"].Value, num), c.Groups["type"].Value, num, null, cdate, cIssuer, null,
                rest.Length == 0 ? null : rest, false));
        }

        // Times and deadlines.
        var milestones = new List<Milestone>();
        foreach (var (line, lineIndex) in lines.Select((l, i) => (l, i)))
        {
            var prevEnd = 0;
            foreach (Match tm in TimeDateRegex().Matches(line))
            {
                var context = line[prevEnd..tm.Index];
                prevEnd = tm.Index + tm.Length;
                var dateOnly = ToDateOnly(tm.Groups["d"].Value, tm.Groups["mo"].Value, tm.Groups["y"].Value);
                if (dateOnly is null)
                {
                    warnings.Add($"Invalid date in '{tm.Value}'.");
                    continue;
                }

                var hour = int.Parse(tm.Groups["h"].Value, CultureInfo.InvariantCulture);
                var minute = tm.Groups["min"].Success ? int.Parse(tm.Groups["min"].Value, CultureInfo.InvariantCulture) : 0;
                TimeOnly? time = null;
                var eod = false;
                if (hour == 24 && minute == 0)
                {
                    eod = true;
                }
                else if (hour < 24 && minute < 60)
                {
                    time = new TimeOnly(hour, minute);
                }
                else
                {
                    warnings.Add($"Invalid time in '{tm.Value}'.");
                    continue;
                }

                var kind = Classify(context, line);
                milestones.Add(new Milestone(MilestoneId(kind, milestones), Sentence(line), kind, dateOnly.Value, time, eod, Actor(lines, lineIndex), "notice"));
            }

            foreach (Match dm in BeforeDateRegex().Matches(line))
            {
                var dateOnly = ToDateOnly(dm.Groups["d"].Value, dm.Groups["mo"].Value, dm.Groups["y"].Value);
                if (dateOnly is null || milestones.Any(m => m.Date == dateOnly))
                {
                    continue;
                }

                milestones.Add(new Milestone(MilestoneId(MilestoneKind.Deadline, milestones), Sentence(line), MilestoneKind.Deadline, dateOnly.Value, null, false,
                    Actor(lines, lineIndex), "notice"));
            }
        }

        foreach (Match dm in AnyDateRegex().Matches(text))
        {
            if (consumed.Any(c => dm.Index >= c.Start && dm.Index < c.End))
            {
                continue;
            }

            var dateOnly = ToDateOnly(dm.Groups["d"].Value, dm.Groups["mo"].Value, dm.Groups["y"].Value);
            if (dateOnly is not null && !milestones.Any(m => m.Date == dateOnly))
            {
                warnings.Add($"Date {dm.Value} is mentioned without a time or 'trước': not recorded as a milestone, check it by hand.");
            }
        }

        // Phones, contacts, e-mails, URLs.
        var contacts = new List<DraftContact>();
        foreach (Match pm in PhoneRegex().Matches(text))
        {
            var phone = pm.Value.Trim();
            if (!ContactFormatter.IsPhone(phone) || contacts.Any(c => ContactFormatter.PhoneDigits(c.Phone) == ContactFormatter.PhoneDigits(phone)))
            {
                continue;
            }

            var before = text[Math.Max(0, pm.Index - 160)..pm.Index];
            if (NamedContactRegex().Match(before) is { Success: true } nc)
            {
                contacts.Add(new DraftContact(nc.Groups["title"].Value + " " + nc.Groups["name"].Value.Trim(), nc.Groups["role"].Value.Trim(), phone));
            }
            else if (OfficeContactRegex().Match(before) is { Success: true } oc)
            {
                contacts.Add(new DraftContact(LeadingViaRegex().Replace(oc.Groups["name"].Value, "").Trim(), null, phone));
            }
            else
            {
                contacts.Add(new DraftContact(null, null, phone));
                warnings.Add($"Phone {phone}: no named person or office found next to it.");
            }
        }

        var emails = EmailRegex().Matches(text).Select(e => e.Value.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var urls = new List<string>();
        var linkKinds = new Dictionary<string, LinkKind>(StringComparer.OrdinalIgnoreCase);
        var previousUrlEnd = 0;
        foreach (Match um in UrlRegex().Matches(text))
        {
            var url = (um.Groups["a"].Success ? um.Groups["a"].Value : um.Groups["b"].Value).TrimEnd('.', ',', ';', ')');
            var contextStart = Math.Max(previousUrlEnd, um.Index - 80);
            var urlContext = text[contextStart..um.Index];
            previousUrlEnd = um.Index + um.Length;
            if (!urls.Contains(url, StringComparer.OrdinalIgnoreCase))
            {
                urls.Add(url);
                linkKinds[url] = GuessLinkKind(url, urlContext);
            }
        }

        var suspects = new List<string>();
        for (var i = 0; i < urls.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (suspects.Contains(urls[j]))
                {
                    continue;
                }

                var distance = EditDistance(Canonical(urls[i]), Canonical(urls[j]));
                if (distance is > 0 and <= 2)
                {
                    suspects.Add(urls[i]);
                    warnings.Add($"URL {urls[i]} differs from {urls[j]} by {distance} character(s): probably a typo; not recorded as a link.");
                    break;
                }
            }
        }

        urls.RemoveAll(suspects.Contains);

        var notice = new SourceDocument("notice", type, number, symbol, date, issuer, title, null, true);
        var id = places.Count > 0 && year is not null ? Slug(places[0]) + "-" + year.Value.ToString(CultureInfo.InvariantCulture) : Slug(fallbackId);
        var draft = new ContestDraft
        {
            Id = id,
            Title = contestTitle ?? title,
            ContestName = quoted,
            Kind = GuessKind(title ?? "", text),
            Places = places,
            Year = year,
            Notice = notice,
            CitedDocuments = cited,
            Milestones = milestones,
            Contacts = contacts,
            Emails = emails,
            Urls = urls,
            Links = urls.Select(u => new ContestLink(linkKinds[u], u, null, "notice")).ToArray(),
            SuspectUrls = suspects,
            Warnings = warnings,
        };
        return new IngestResult(draft, warnings);
    }

    /// <summary>The draft as a contest YAML file (<c>status: draft</c>) for a person to complete and rename.</summary>
    public static string ToYaml(ContestDraft draft) => ContestDraftYaml.Write(draft);

    private static string? ExtractTitle(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart('#', ' ');
            if (line.StartsWith("V/v", StringComparison.Ordinal) || line.StartsWith("Về việc", StringComparison.Ordinal))
            {
                var sb = new StringBuilder(line);
                for (var j = i + 1; j < lines.Length && lines[j].Length > 0 && !PlaceDateRegex().IsMatch(lines[j]) && !lines[j].StartsWith("Kính gửi", StringComparison.Ordinal); j++)
                {
                    sb.Append(' ').Append(lines[j]);
                }

                return MultiSpaceRegex().Replace(sb.ToString(), " ").Trim();
            }
        }

        return null;
    }

    private static string? ContestTitle(string? title)
    {
        if (title is null || ContestPhraseRegex().Match(title) is not { Success: true } m)
        {
            return null;
        }

        var phrase = m.Value.Trim();
        phrase = TrailingTagRegex().Replace(phrase, "").Trim();
        return char.ToUpper(phrase[0], CultureInfo.GetCultureInfo("vi-VN")) + phrase[1..];
    }

    private static string? ExtractIssuer(string[] lines, string text, List<string> warnings)
    {
        var header = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                if (header.Count > 0)
                {
                    break;
                }

                continue;
            }

            if (line.StartsWith("CỘNG HÒA", StringComparison.Ordinal) || line.StartsWith("Số:", StringComparison.Ordinal) || PlaceDateRegex().IsMatch(line))
            {
                break;
            }

            header.Add(line);
        }

        if (header.Count > 0 && header.All(h => h == h.ToUpperInvariant()))
        {
            return string.Join(" ", header);
        }

        if (BodyIssuerRegex().Match(text) is { Success: true } b)
        {
            warnings.Add($"Issuer taken from the body ('{b.Groups[1].Value.Trim()}'): the notice has no header block.");
            return b.Groups[1].Value.Trim();
        }

        warnings.Add("Issuer not found.");
        return null;
    }

    private static MilestoneKind Classify(string context, string line)
    {
        var c = context.ToLowerInvariant();
        if (c.Contains("bắt đầu", StringComparison.Ordinal) || c.Contains("mở", StringComparison.Ordinal))
        {
            return MilestoneKind.Opens;
        }

        if (c.Contains("kết thúc", StringComparison.Ordinal))
        {
            return MilestoneKind.Closes;
        }

        var l = line.ToLowerInvariant();
        if (l.Contains("báo cáo", StringComparison.Ordinal))
        {
            return MilestoneKind.Report;
        }

        return c.Contains("trước", StringComparison.Ordinal) || c.Contains("thời hạn", StringComparison.Ordinal) || c.Contains("hạn", StringComparison.Ordinal)
            ? MilestoneKind.Deadline
            : MilestoneKind.Other;
    }

    private static string MilestoneId(MilestoneKind kind, List<Milestone> existing)
    {
        var baseId = ContestEnums.ToYaml(kind);
        var id = baseId;
        for (var n = 2; existing.Any(m => m.Id == id); n++)
        {
            id = baseId + "-" + n.ToString(CultureInfo.InvariantCulture);
        }

        return id;
    }

    private static string Sentence(string line) => MultiSpaceRegex().Replace(line.TrimStart('-', '+', ' ', '#'), " ").Trim();

    /// <summary>The nearest heading above (e.g. "2. Văn Phòng Sở:"), which names who must act.</summary>
    private static string? Actor(string[] lines, int index)
    {
        if (NumberedItemRegex().IsMatch(lines[index]))
        {
            return null; // "6. Đài Phát thanh ... xong trước ngày ...": the item names its own actor.
        }

        for (var i = index - 1; i >= 0; i--)
        {
            var l = lines[i].TrimStart('#', ' ');
            if (HeadingRegex().Match(l) is { Success: true } h)
            {
                return h.Groups[1].Value.Trim();
            }
        }

        return null;
    }

    /// <summary>A link kind suggested by the URL and the words just before it ("video clip ... (&lt;url&gt;)", "Cổng ... tại địa chỉ").</summary>
    private static LinkKind GuessLinkKind(string url, string context)
    {
        if (url.Contains("facebook.com", StringComparison.OrdinalIgnoreCase))
        {
            return LinkKind.Fanpage;
        }

        if (context.Contains("video", StringComparison.OrdinalIgnoreCase))
        {
            return LinkKind.Video;
        }

        return context.Contains("Cổng", StringComparison.Ordinal) ? LinkKind.Portal : LinkKind.ContestSite;
    }

    private static string? GuessKind(string title, string text)
    {
        var t = (title + "\n" + text).ToLowerInvariant();
        if (t.Contains("video clip", StringComparison.Ordinal) && t.Contains("mô hình, sáng kiến", StringComparison.Ordinal))
        {
            return "video_clip";
        }

        if (title.Contains("cuộc thi viết", StringComparison.OrdinalIgnoreCase))
        {
            return "initiative_writing";
        }

        if (title.Contains("Hội thi trực tuyến", StringComparison.OrdinalIgnoreCase))
        {
            return "online_contest";
        }

        return title.Contains("trực tuyến", StringComparison.OrdinalIgnoreCase) ? "online_quiz" : null;
    }

    private static DateOnly? ToDateOnly(string d, string m, string y) =>
        DateOnly.TryParseExact($"{d}/{m}/{y}", "d/M/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static PartialDate? ParseDmy(string text) =>
        DateOnly.TryParseExact(text.Trim(), "d/M/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new PartialDate(date.Year, date.Month, date.Day)
            : null;

    private static string DocId(string type, string number)
    {
        var prefix = type switch
        {
            "Kế hoạch" => "kh",
            "Quyết định" => "qd",
            "Công văn" => "cv",
            "Thông báo" => "tb",
            "Hướng dẫn" => "hd",
            _ => "doc",
        };
        return prefix + "-" + number.Split('/')[0];
    }

    internal static string Slug(string text) => CcBot.Nlu.DiacriticFolder.FoldForMatching(text).Replace(' ', '-') is { Length: > 0 } s ? s : "notice";

    private static string Canonical(string url) =>
        url.ToLowerInvariant().Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal).Replace("www.", "", StringComparison.Ordinal).TrimEnd('/');

    internal static int EditDistance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }

    [GeneratedRegex(@"^\s*Số\s*:\s*(?<n>\d*)\s*/\s*(?<sym>[^\s]+)", RegexOptions.Multiline)]
    private static partial Regex NumberLineRegex();

    [GeneratedRegex(@"^\s*(?<place>[\p{L} ]+?),\s*ngày\s*(?<d>\d{1,2})?\s*tháng\s*(?<m>\d{1,2})?\s*năm\s*(?<y>\d{4})", RegexOptions.Multiline)]
    private static partial Regex PlaceDateRegex();

    [GeneratedRegex("“([^”]+)”")]
    private static partial Regex QuoteRegex();

    [GeneratedRegex(@"\b(19|20)\d{2}\b")]
    private static partial Regex YearRegex();

    [GeneratedRegex(@"(?<type>Kế hoạch|Quyết định|Công văn|Thông báo|Hướng dẫn)\s+số\s+(?<num>\d+/[\p{L}\d\-]+)(?:\s+ngày\s+(?<date>\d{1,2}/\d{1,2}/\d{4}))?(?<rest>[^;().\n]*)")]
    private static partial Regex CitedRegex();

    [GeneratedRegex(@"Ngày\s+(?<date>\d{1,2}/\d{1,2}/\d{4}),[^.;]*$")]
    private static partial Regex IssuedOnRegex();

    [GeneratedRegex(@"^của\s+((?:UBND|Ủy ban nhân dân|Ban Tổ chức|Văn phòng|Sở)[^,]*?)(?:\s+(?:về|ban hành)\b|$)")]
    private static partial Regex IssuerOfRegex();

    [GeneratedRegex(@"(?<h>\d{1,2})h(?<min>\d{2})?\s*['’]?\s*,?\s*(?:ngày\s+)?(?<d>\d{1,2})/(?<mo>\d{1,2})/(?<y>\d{4})")]
    private static partial Regex TimeDateRegex();

    [GeneratedRegex(@"trước\s+ngày\s+(?<d>\d{1,2})/(?<mo>\d{1,2})/(?<y>\d{4})", RegexOptions.IgnoreCase)]
    private static partial Regex BeforeDateRegex();

    [GeneratedRegex(@"(?<d>\d{1,2})/(?<mo>\d{1,2})/(?<y>\d{4})")]
    private static partial Regex AnyDateRegex();

    [GeneratedRegex(@"(?<![\d/])(?:\+84|0)\d{2,4}(?:[ .]\d{3,6}){1,3}(?![\d/])|(?<![\d/])0\d{9,10}(?![\d/])")]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"(?<title>Đ/c|đ/c|[Ôô]ng|[Bb]à)\s+(?<name>\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,4})\s*[,\-–]\s*(?<role>[^,;()]+?)\s*,?\s*(?:SĐT|[Ss]ố điện thoại|[Đđ]iện thoại|ĐT)\s*:?\s*$")]
    private static partial Regex NamedContactRegex();

    [GeneratedRegex(@"(?:thông qua\s+|\()(?<name>[^()]+?)\s*[-–,]\s*(?:số điện thoại|điện thoại|SĐT)\s*:?\s*$")]
    private static partial Regex OfficeContactRegex();

    [GeneratedRegex(@"^\s*thông qua\s+")]
    private static partial Regex LeadingViaRegex();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"<(?<a>https?://[^>\s]+)>|(?<b>https?://[^\s<>()\]]+)")]
    private static partial Regex UrlRegex();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex MultiSpaceRegex();

    [GeneratedRegex(@"(?:[Cc]uộc|[Hh]ội) thi.*$")]
    private static partial Regex ContestPhraseRegex();

    [GeneratedRegex(@"\s*\((?:VBĐT)\)\s*$")]
    private static partial Regex TrailingTagRegex();

    [GeneratedRegex(@"(Sở [\p{L}, ]+?)\s+(?:đề nghị|yêu cầu)")]
    private static partial Regex BodyIssuerRegex();

    [GeneratedRegex(@"^\d+\.\s+(.{1,80}?):\s*$")]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"^\d+\.\s")]
    private static partial Regex NumberedItemRegex();
}
