namespace CcBot.Core.Contests;

/// <summary>What a question asks for, read from its folded words: the kinds of fact, a status question, a follow-up.</summary>
public sealed record QuestionCues(IReadOnlySet<FactKind> Kinds, bool Status, bool FollowUp)
{
    private static readonly (FactKind Kind, string[] Phrases)[] KindPhrases =
    [
        (FactKind.Time, ["han", "thoi han", "khi nao", "bao gio", "luc nao", "may gio", "ngay nao", "thoi gian", "ket thuc", "bat dau", "mo link",
            "mo duong link", "tu ngay", "den ngay", "truoc ngay", "lich", "ngay may", "hom nao", "deadline", "dong cong"]),
        (FactKind.Contact, ["lien he", "so dien thoai", "dien thoai", "goi", "email", "mail", "hotline", "dau moi", "hoi ai", "phu trach", "thu ky",
            "ai la", "zalo", "lien lac"]),
        (FactKind.Submission, ["nop", "gui", "bai du thi", "san pham", "usb", "eoffice", "e office", "ban giao", "nop bai", "email", "mail", "phan mem"]),
        (FactKind.Link, ["link", "duong link", "dia chi", "website", "web", "trang thi", "o dau", "truy cap", "fanpage", "facebook", "video", "trang", "cong thong tin", "cong dich vu", "dich vu cong"]),
        (FactKind.Registration, ["dang ky", "dang nhap", "tai khoan", "cach tham gia", "tham gia nhu the nao", "huong dan", "tham gia the nao"]),
        (FactKind.Rule, ["the le", "quy dinh", "hinh thuc", "noi dung", "cach thi", "luat", "sao chep", "giong nhau", "de cuong", "24/24", "bo cuc", "sua lai", "thi dua", "khen thuong"]),
        (FactKind.Audience, ["doi tuong", "ai duoc", "ai tham gia", "ai thi", "ai du thi", "danh cho ai", "ai co the", "nguoi dan", "thi sinh", "ai phai"]),
        (FactKind.Target, ["chi tieu", "phan tram", "100", "muc tieu", "bao nhieu nguoi"]),
        (FactKind.Organizer, ["ban to chuc", "ai to chuc", "don vi to chuc", "co quan to chuc", "to chuc boi", "ai chu tri"]),
        (FactKind.Prize, ["giai", "thuong", "ho tro", "kinh phi", "tien"]),
        (FactKind.Voting, ["binh chon", "vote", "bau chon", "like"]),
        (FactKind.Duty, ["nhiem vu", "trach nhiem", "phai lam", "bao cao", "treo", "bang ron", "tuyen truyen", "vuong mac", "phan anh",
            "phoi hop", "phat thanh", "bao chi", "lam gi", "nhiem vu gi"]),
        (FactKind.Warning, ["luu y", "loi danh may", "sai dia chi", "co loi", "loi ngay", "sai ngay", "nham", "co dung khong"]),
    ];

    private static readonly string[] StatusPhrases =
    [
        "con thi duoc", "con thi khong", "con lam bai", "con du thi", "con nop duoc", "con han khong", "het han chua", "con nhan bai", "con nhan", "da het han", "het han roi", "ket thuc chua",
        "da ket thuc", "xong chua", "bao gio mo", "khi nao mo", "mo chua", "da mo", "bat dau chua", "con may ngay", "con bao nhieu ngay", "con bao lau",
        "dang dien ra", "con mo", "con kip", "qua han", "con thi", "con tham gia duoc", "da dong", "dong chua", "con dang ky duoc",
    ];

    private static readonly string[] FollowUpPhrases =
    [
        "thi sao", "the con", "nguoi do", "nguoi ay", "ong ay", "ba ay", "anh ay", "chi ay", "cua ho", "cai do", "o do", "con cai", "vay con",
    ];

    /// <summary>The generic words a question about this kind of fact is asked with (not the values: "usb", "email"), for the fact's keys.</summary>
    public static string Words(FactKind kind) => kind switch
    {
        FactKind.Time => "han thoi han thoi gian khi nao bao gio luc nao ngay nao",
        FactKind.Contact => "lien he so dien thoai dien thoai goi dau moi hoi ai phu trach lien lac",
        FactKind.Submission => "nop gui nop bai gui bai",
        FactKind.Link => "link duong link dia chi trang truy cap o dau",
        FactKind.Registration => "dang ky dang nhap tham gia huong dan",
        FactKind.Rule => "the le quy dinh",
        FactKind.Audience => "doi tuong ai duoc tham gia du thi",
        FactKind.Target => "chi tieu muc tieu",
        FactKind.Organizer => "ban to chuc to chuc",
        FactKind.Prize => "giai thuong ho tro kinh phi",
        FactKind.Voting => "binh chon",
        FactKind.Duty => "nhiem vu trach nhiem phai lam",
        FactKind.Warning => "luu y",
        _ => "",
    };

    public static QuestionCues Read(string folded)
    {
        var padded = " " + folded + " ";
        var kinds = new HashSet<FactKind>();
        foreach (var (kind, phrases) in KindPhrases)
        {
            if (phrases.Any(p => padded.Contains(" " + p + " ", StringComparison.Ordinal)))
            {
                kinds.Add(kind);
            }
        }

        var status = StatusPhrases.Any(p => padded.Contains(" " + p + " ", StringComparison.Ordinal));
        var followUp = padded.StartsWith(" con ", StringComparison.Ordinal) || FollowUpPhrases.Any(p => padded.Contains(" " + p + " ", StringComparison.Ordinal));
        return new QuestionCues(kinds, status, followUp);
    }

    /// <summary>When a question names several kinds ("sđt ban tổ chức"), the one it asks for: a phone before an organizer.</summary>
    private static readonly FactKind[] Priority =
    [
        FactKind.Contact, FactKind.Time, FactKind.Prize, FactKind.Voting, FactKind.Submission, FactKind.Link, FactKind.Registration,
        FactKind.Audience, FactKind.Target, FactKind.Warning, FactKind.Rule, FactKind.Duty, FactKind.Organizer,
    ];

    public static FactKind? Primary(IReadOnlySet<FactKind> kinds) => Priority.Where(kinds.Contains).Select(k => (FactKind?)k).FirstOrDefault();

    /// <summary>How much a cue word adds to facts of its kind: a time or a phone asked for outranks the facts that merely mention it.</summary>
    public static double Boost(FactKind kind) => kind switch
    {
        FactKind.Time => 3.5,
        FactKind.Contact => 3.5,
        FactKind.Audience => 4.0,
        FactKind.Voting or FactKind.Prize => 3.0,
        FactKind.Submission or FactKind.Link or FactKind.Warning => 2.5,
        FactKind.Registration or FactKind.Organizer or FactKind.Target => 2.0,
        _ => 1.5,
    };

    /// <summary>The fact kinds an intent of the classifier is about.</summary>
    public static IReadOnlySet<FactKind> ForIntent(string? intent) => intent switch
    {
        "schedule" => new HashSet<FactKind> { FactKind.Time },
        "contact" => new HashSet<FactKind> { FactKind.Contact },
        "submission" => new HashSet<FactKind> { FactKind.Submission },
        "registration" => new HashSet<FactKind> { FactKind.Link, FactKind.Registration, FactKind.Warning },
        "rules" => new HashSet<FactKind> { FactKind.Rule, FactKind.Audience, FactKind.Duty, FactKind.Target },
        "prizes" => new HashSet<FactKind> { FactKind.Prize },
        "voting" => new HashSet<FactKind> { FactKind.Voting },
        _ => new HashSet<FactKind>(),
    };
}
