using CcBot.Core.Contests;
using CcBot.Nlu;

namespace CcBot.Core.Nlu;

/// <summary>
/// Understanding by keywords, for while the classifier is not loaded: a few unmistakable phrases (matched as whole words,
/// with or without diacritics) route to their intent; anything else is "not sure" (offer a human, record it).
/// The first rule that matches wins, so the specific ones come first.
/// </summary>
public sealed class KeywordUnderstanding
{
    /// <summary>Folded phrases per intent, most specific first.</summary>
    private static readonly (string Intent, string[] Phrases)[] Rules =
    [
        (IntentNames.Unsubscribe, ["huy nhac", "tat nhac", "bo nhac", "huynhac"]),
        (IntentNames.Subscribe, ["nhac han", "nhac toi", "nhac minh", "nhacnho", "dang ky nhac"]),
        (IntentNames.QuizStart, ["thi thu", "lam bai thi", "bat dau thi", "on thi"]),
        (IntentNames.Human, ["gap can bo", "gap nguoi", "nhan vien", "tu van vien", "nguoi that"]),
        (IntentNames.Voting, ["binh chon", "bau chon", "vote"]),
        (IntentNames.Prizes, ["giai thuong", "co cau giai", "tien thuong"]),
        (IntentNames.Results, ["ket qua", "cong bo giai", "danh sach doat giai"]),
        (IntentNames.Schedule, ["thoi gian", "han cuoi", "han nop", "khi nao", "bao gio", "may gio", "ngay nao", "het han"]),
        (IntentNames.Registration, ["dang ky", "tao tai khoan", "dang nhap"]),
        (IntentNames.Submission, ["nop bai", "gui bai", "nop san pham", "gui san pham", "cach nop"]),
        (IntentNames.Contact, ["lien he", "so dien thoai", "sdt", "hotline", "email", "dia chi"]),
        (IntentNames.Rules, ["the le", "quy che", "dieu kien", "doi tuong", "noi dung thi"]),
        (IntentNames.ThanksBye, ["cam on", "tam biet", "thank"]),
        (IntentNames.GreetingHelp, ["xin chao", "chao ban", "hello", "giup toi", "huong dan"]),
    ];

    public Understanding Understand(string text)
    {
        var folded = " " + CcBot.Nlu.DiacriticFolder.FoldForMatching(text) + " ";
        foreach (var (intent, phrases) in Rules)
        {
            if (phrases.Any(p => folded.Contains(" " + p + " ", StringComparison.Ordinal)))
            {
                return new Understanding(UnderstandingKind.Intent, intent, 0.5);
            }
        }

        return new Understanding(UnderstandingKind.Unsure, IntentNames.OutOfScope, 0);
    }
}
