using System.Text;
using DocumentFormat.OpenXml.Packaging;

namespace CcBot.Core.Entries;

/// <summary>
/// Text of an entry document for the similarity check: .docx through the Open XML SDK, .pdf through PdfPig (text of every
/// page, in reading order as the PDF draws it), .txt as UTF-8. A PDF of scanned images has no text: such entries are marked
/// "text not extracted" in the review list.
/// </summary>
public static class TextExtractor
{
    /// <summary>The text, or null when the type is not supported or the file cannot be read.</summary>
    public static string? Extract(byte[] content, string extension)
    {
        try
        {
            return extension.ToLowerInvariant() switch
            {
                "txt" => Encoding.UTF8.GetString(content),
                "docx" => Docx(content),
                "pdf" => Pdf(content),
                _ => null,
            };
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or System.Xml.XmlException
                                       or UglyToad.PdfPig.Core.PdfDocumentFormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static string? Pdf(byte[] content)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(content);
        var sb = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            sb.AppendLine(UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor.ContentOrderTextExtractor.GetText(page));
        }

        var text = sb.ToString().Trim();
        return text.Length == 0 ? null : text;
    }

    private static string? Docx(byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        using var doc = WordprocessingDocument.Open(stream, false);
        var body = doc.MainDocumentPart?.Document?.Body;
        if (body is null)
        {
            return null;
        }

        var sb = new StringBuilder();
        foreach (var p in body.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>())
        {
            sb.AppendLine(p.InnerText);
        }

        return sb.ToString();
    }
}
