using System.Collections.Frozen;

namespace CcBot.Nlu;

/// <summary>
/// Vietnamese chat abbreviations and teencode, keyed by the exact lowercase NFC token.
/// Keys are matched exactly (never after folding) so that real words such as "ạ" are not mistaken for "a" (anh).
/// </summary>
public static class AbbreviationTable
{
    /// <summary>Default table. Values may contain several words ("ntn" → "như thế nào").</summary>
    public static FrozenDictionary<string, string> Default { get; } = Build();

    private static FrozenDictionary<string, string> Build()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string value, params string[] keys)
        {
            foreach (var k in keys) d[k] = value;
        }

        Add("không", "ko", "k", "kh", "khg", "kg", "hok", "hk", "hông", "khum", "kô", "khôg");
        Add("không phải", "kp");
        Add("được", "dc", "đc", "dk", "đk", "dduoc", "đuợc", "đươc", "dươc", "đượk");
        Add("gì", "j", "ji", "zì");
        Add("như thế nào", "ntn", "ntnao");
        Add("số điện thoại", "sdt", "sđt", "sdth", "sđth");
        Add("điện thoại", "đt", "dt", "dthoai", "đthoại");
        Add("cải cách hành chính", "cchc");
        Add("thủ tục hành chính", "tthc");
        Add("dịch vụ công", "dvc");
        Add("ban tổ chức", "btc");
        Add("bao nhiêu", "bn", "bnhieu", "bnh");
        Add("người", "ng", "ngừi");
        Add("em", "e");
        Add("anh", "a");
        Add("chị", "c", "chj");
        Add("bạn", "b");
        Add("mình", "mk", "mik", "mjk", "mềnh");
        Add("với", "vs", "vớii");
        Add("rồi", "r", "rùi", "ròi", "rầu");
        Add("gì vậy", "gìv");
        Add("vậy", "v", "z", "zậy", "dzậy", "vại", "zạ");
        Add("cũng", "cx", "cg", "cũg");
        Add("mới", "ms");
        Add("biết", "bít", "bik", "bjt");
        Add("trả lời", "trl", "tl", "rep");
        Add("thời gian", "tg");
        Add("bao giờ", "bh", "bjo", "bgio", "bgiờ");
        Add("trước", "trc", "trk");
        Add("đăng ký", "đky", "dky", "đki", "dki", "đăngký", "dangky", "đăngkí", "đăng kí");
        Add("đăng nhập", "đnhap", "login");
        Add("mọi người", "mn", "mng", "mọi ng");
        Add("làm", "lm");
        Add("ví dụ", "vd");
        Add("kết quả", "kq");
        Add("quá", "wá", "wa", "qá");
        Add("cảm ơn", "tks", "thks", "thanks", "thank", "thanhks", "camon", "cámơn", "cámon", "cmon", "thx");
        Add("nhiều", "nhìu", "nhju");
        Add("thích", "thik", "thix");
        Add("hôm", "hum");
        Add("nhắn tin", "ib", "inbox");
        Add("tin nhắn", "tn");
        Add("facebook", "fb", "phây");
        Add("admin", "ad", "adm");
        Add("đang", "đag", "dag");
        Add("thôi", "thui");
        Add("nhé", "nhen", "nhe");
        Add("ơi", "oi", "ơii");
        Add("giúp", "júp", "jup");
        Add("anh em", "ae");
        Add("việt nam", "vn");
        Add("thông tin", "ttin");
        Add("hướng dẫn", "hd", "hdan");
        Add("ok", "oke", "okie", "okê", "oki", "okay", "okela", "uk", "ừk");
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
