using System.Text;
using System.Text.RegularExpressions;

namespace CcBot.Core.Contests;

/// <summary>Checks and renders phone numbers, e-mail addresses and URLs so that a user can tap them.</summary>
public static partial class ContactFormatter
{
    /// <summary>The digits of a phone number as written on a notice ("0989.568.808" → "0989568808"); a leading +84 stays.</summary>
    public static string PhoneDigits(string display)
    {
        var sb = new StringBuilder(display.Length);
        foreach (var ch in display.Trim())
        {
            if (char.IsAsciiDigit(ch) || (ch == '+' && sb.Length == 0))
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    /// <summary>A Vietnamese phone number: 10 or 11 digits starting with 0 (or +84), groups separated by '.', ' ' or '-'.</summary>
    public static bool IsPhone(string text) => PhoneRegex().IsMatch(text.Trim()) && PhoneDigits(text) is var d
        && (d.StartsWith('0') ? d.Length is 10 or 11 : d.StartsWith("+84", StringComparison.Ordinal) && d.Length is 12 or 13);

    /// <summary>"tel:0989568808".</summary>
    public static string TelUri(string display) => "tel:" + PhoneDigits(display);

    /// <summary>The display form followed by the dialable form: "0989.568.808 (tel:0989568808)".</summary>
    public static string DialablePhone(string display) => $"{display.Trim()} ({TelUri(display)})";

    public static bool IsEmail(string text) => EmailRegex().IsMatch(text.Trim());

    /// <summary>"mailto:cchc.snv@khanhhoa.gov.vn".</summary>
    public static string MailtoUri(string email) => "mailto:" + email.Trim();

    /// <summary>The address followed by its mailto form.</summary>
    public static string DialableEmail(string email) => $"{email.Trim()} ({MailtoUri(email)})";

    public static bool IsWebUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Contains('.', StringComparison.Ordinal)
        && !text.Contains(' ', StringComparison.Ordinal);

    [GeneratedRegex(@"^\+?[0-9]{2,5}([ .\-]?[0-9]{2,4}){1,4}$")]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")]
    private static partial Regex EmailRegex();
}
