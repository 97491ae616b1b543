using QRCoder;

namespace CcBot.Host.Cli;

/// <summary>The QR code PNG the <c>link</c> verbs write for banners and portals.</summary>
internal static class QrCodeFile
{
    /// <summary>Writes <paramref name="url"/> as a QR code PNG at <paramref name="path"/> (folders created) and returns the full path.</summary>
    public static async Task<string> WriteAsync(string url, string path, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(10);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllBytesAsync(full, png, ct);
        return full;
    }
}
