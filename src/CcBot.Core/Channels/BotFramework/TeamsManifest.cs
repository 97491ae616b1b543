using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using CcBot.Core.Text;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>
/// The Microsoft Teams app package (<c>ccbot teams manifest</c>): manifest.json (schema 1.16), a 192×192 colour icon
/// and a 32×32 white-on-transparent outline icon, zipped flat as Teams expects.
/// </summary>
public static class TeamsManifest
{
    public const string SchemaVersion = "1.16";
    public const int ColorIconSize = 192;
    public const int OutlineIconSize = 32;
    public const string AccentColor = "#C8102E";

    private static readonly (string Key, string[] Scopes)[] Commands =
    [
        ("menu", ["personal", "team", "groupChat"]),
        ("help", ["personal", "team", "groupChat"]),
        ("contest", ["personal", "team", "groupChat"]),
        ("schedule", ["personal", "team", "groupChat"]),
        ("rules", ["personal", "team", "groupChat"]),
        ("contact", ["personal", "team", "groupChat"]),
    ];

    /// <summary>The manifest's app id: configured, or a stable name-based GUID (RFC 4122 v5) derived from the bot's app id.</summary>
    public static Guid AppPackageId(BotFrameworkOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ManifestAppId))
        {
            return Guid.TryParse(options.ManifestAppId, out var configured)
                ? configured
                : throw new InvalidOperationException("BotFramework:ManifestAppId must be a GUID.");
        }

        var appId = RequireAppId(options);
        // Name-based UUID (version 5) in a fixed namespace: the same bot always gets the same package id.
        var ns = new Guid("6ba7b811-9dad-11d1-80b4-00c04fd430c8").ToByteArray(bigEndian: true);
        var hash = SHA1.HashData([.. ns, .. Encoding.UTF8.GetBytes("ccbot-teams:" + appId.ToLowerInvariant())]);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>manifest.json.</summary>
    public static JsonObject BuildManifest(BotFrameworkOptions options, ITextCatalog texts)
    {
        var appId = RequireAppId(options);
        var website = options.WebsiteUrl;
        var commands = new JsonArray();
        foreach (var (key, _) in Commands)
        {
            commands.Add(new JsonObject
            {
                ["title"] = Limit(texts.Get($"teams.command.{key}.title"), 32),
                ["description"] = Limit(texts.Get($"teams.command.{key}.description"), 128),
            });
        }

        var domains = new JsonArray();
        foreach (var d in options.ValidDomains.Append(HostOf(website)).Where(d => !string.IsNullOrWhiteSpace(d)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            domains.Add(d);
        }

        return new JsonObject
        {
            ["$schema"] = $"https://developer.microsoft.com/en-us/json-schemas/teams/v{SchemaVersion}/MicrosoftTeams.schema.json",
            ["manifestVersion"] = SchemaVersion,
            ["version"] = options.ManifestVersion,
            ["id"] = AppPackageId(options).ToString("D"),
            ["localizationInfo"] = new JsonObject { ["defaultLanguageTag"] = "vi-vn" },
            ["developer"] = new JsonObject
            {
                ["name"] = texts.Get("teams.app.developer_name"),
                ["websiteUrl"] = website,
                ["privacyUrl"] = website,
                ["termsOfUseUrl"] = website,
            },
            ["name"] = new JsonObject
            {
                ["short"] = Limit(texts.Get("teams.app.short_name"), 30),
                ["full"] = Limit(texts.Get("teams.app.full_name"), 100),
            },
            ["description"] = new JsonObject
            {
                ["short"] = Limit(texts.Get("teams.app.short_description"), 80),
                ["full"] = Limit(texts.Get("teams.app.full_description"), 4000),
            },
            ["icons"] = new JsonObject { ["color"] = "color.png", ["outline"] = "outline.png" },
            ["accentColor"] = AccentColor,
            ["bots"] = new JsonArray(new JsonObject
            {
                ["botId"] = appId,
                ["scopes"] = new JsonArray("personal", "team", "groupChat"),
                ["supportsFiles"] = false,
                ["isNotificationOnly"] = false,
                ["commandLists"] = new JsonArray(new JsonObject
                {
                    ["scopes"] = new JsonArray("personal", "team", "groupChat"),
                    ["commands"] = commands,
                }),
            }),
            ["permissions"] = new JsonArray("identity", "messageTeamMembers"),
            ["validDomains"] = domains,
        };
    }

    /// <summary>The zip: manifest.json, color.png, outline.png at the root.</summary>
    public static byte[] BuildPackage(BotFrameworkOptions options, ITextCatalog texts)
    {
        var manifest = BuildManifest(options, texts).ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        });
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "manifest.json", Encoding.UTF8.GetBytes(manifest));
            Add(zip, "color.png", ColorIcon());
            Add(zip, "outline.png", OutlineIcon());
        }

        return buffer.ToArray();
    }

    /// <summary>192×192: a white speech bubble with three dots on the accent colour.</summary>
    public static byte[] ColorIcon()
    {
        const int size = ColorIconSize;
        var (r, g, b) = (0xC8, 0x10, 0x2E);
        var pixels = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var i = (y * size + x) * 4;
                var white = InBubble(x, y, 36, 44, 156, 124, 22) || InTail(x, y, 56, 124, 92, 124, 50, 156);
                var dot = white && y is >= 78 and < 92 && (InCircle(x, y, 66, 84, 8) || InCircle(x, y, 96, 84, 8) || InCircle(x, y, 126, 84, 8));
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = white && !dot ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)r, (byte)g, (byte)b, (byte)255);
            }
        }

        return PngEncoder.Encode(size, size, pixels);
    }

    /// <summary>32×32: the bubble's outline in white on transparent, as Teams requires.</summary>
    public static byte[] OutlineIcon()
    {
        const int size = OutlineIconSize;
        var pixels = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var outer = InBubble(x, y, 3, 5, 29, 22, 5) || InTail(x, y, 8, 22, 15, 22, 7, 28);
                var inner = InBubble(x, y, 5, 7, 27, 20, 3);
                var on = outer && !inner;
                var i = (y * size + x) * 4;
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = on ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)0, (byte)0, (byte)0, (byte)0);
            }
        }

        return PngEncoder.Encode(size, size, pixels);
    }

    private static string RequireAppId(BotFrameworkOptions options) =>
        string.IsNullOrWhiteSpace(options.AppId)
            ? throw new InvalidOperationException(
                "BotFramework:AppId is not configured. Set it (the Microsoft App ID of the Azure Bot) in appsettings.json, " +
                "as environment variable BotFramework__AppId, or pass --app-id.")
            : options.AppId.Trim();

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }

    private static string Limit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string? HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Host : null;

    private static bool InCircle(int x, int y, int cx, int cy, int radius) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;

    private static bool InBubble(int x, int y, int left, int top, int right, int bottom, int radius)
    {
        if (x < left || x >= right || y < top || y >= bottom)
        {
            return false;
        }

        var cx = Math.Clamp(x, left + radius, right - 1 - radius);
        var cy = Math.Clamp(y, top + radius, bottom - 1 - radius);
        return InCircle(x, y, cx, cy, radius);
    }

    /// <summary>The triangle (x1,y1)-(x2,y2)-(x3,y3).</summary>
    private static bool InTail(int x, int y, int x1, int y1, int x2, int y2, int x3, int y3)
    {
        static long Side(int ax, int ay, int bx, int by, int px, int py) => (long)(bx - ax) * (py - ay) - (long)(by - ay) * (px - ax);
        var d1 = Side(x1, y1, x2, y2, x, y);
        var d2 = Side(x2, y2, x3, y3, x, y);
        var d3 = Side(x3, y3, x1, y1, x, y);
        var hasNeg = d1 < 0 || d2 < 0 || d3 < 0;
        var hasPos = d1 > 0 || d2 > 0 || d3 > 0;
        return !(hasNeg && hasPos);
    }
}
