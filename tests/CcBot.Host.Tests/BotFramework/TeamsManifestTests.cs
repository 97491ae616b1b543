using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using CcBot.Core.Channels.BotFramework;
using CcBot.Core.Text;
using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.BotFramework;

public sealed class TeamsManifestTests
{
    private static readonly YamlTextCatalog Texts = YamlTextCatalog.LoadFolder(Path.Combine(RepoPaths.Root, "dialogs"));

    [Fact]
    public async Task Manifest_package_holds_the_manifest_with_the_app_id_and_two_valid_icons()
    {
        var folder = TestHost.NewDataFolder();
        var zipPath = Path.Combine(folder, "out", "ccbot-teams.zip");
        var options = new BotFrameworkOptions { AppId = Teams.AppId, ValidDomains = ["cchc.example.gov.vn"] };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await TeamsCommands.WriteManifestAsync(options, Texts, zipPath, stdout, stderr, CancellationToken.None);

        exit.Should().Be(0, stderr.ToString());
        stdout.ToString().Should().Contain(zipPath);
        using var zip = ZipFile.OpenRead(zipPath);
        zip.Entries.Select(e => e.FullName).Should().BeEquivalentTo(["manifest.json", "color.png", "outline.png"]);

        var manifest = JsonNode.Parse(Read(zip, "manifest.json"))!;
        var packageId = TeamsManifest.AppPackageId(options);
        manifest["id"]!.GetValue<string>().Should().Be(packageId.ToString("D"));
        Guid.Parse(manifest["id"]!.GetValue<string>()).Should().NotBe(Guid.Empty);
        TeamsManifest.AppPackageId(new BotFrameworkOptions { AppId = Teams.AppId }).Should().Be(packageId, "the id is stable for one bot");
        TeamsManifest.AppPackageId(new BotFrameworkOptions { AppId = Guid.NewGuid().ToString() }).Should().NotBe(packageId);
        manifest["manifestVersion"]!.GetValue<string>().Should().Be("1.16");
        manifest["bots"]![0]!["botId"]!.GetValue<string>().Should().Be(Teams.AppId);
        manifest["bots"]![0]!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().BeEquivalentTo(["personal", "team", "groupChat"]);
        var commands = manifest["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray();
        commands.Select(c => c!["title"]!.GetValue<string>()).Should().Contain(["/menu", "/help", "/thoigian"]);
        commands.Should().OnlyContain(c => c!["title"]!.GetValue<string>().Length <= 32 && c["description"]!.GetValue<string>().Length <= 128);
        manifest["name"]!["short"]!.GetValue<string>().Should().Contain("Hỏi đáp").And.Match(s => s.Length <= 30);
        manifest["description"]!["short"]!.GetValue<string>().Length.Should().BeLessThanOrEqualTo(80);
        manifest["description"]!["full"]!.GetValue<string>().Should().Contain("cải cách hành chính");
        manifest["validDomains"]!.AsArray().Select(d => d!.GetValue<string>()).Should().Contain("cchc.example.gov.vn");
        manifest["icons"]!["color"]!.GetValue<string>().Should().Be("color.png");

        AssertPng(ReadBytes(zip, "color.png"), 192, 192, outline: false);
        AssertPng(ReadBytes(zip, "outline.png"), 32, 32, outline: true);
    }

    [Fact]
    public async Task Manifest_without_app_id_fails_with_a_clear_message()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var path = Path.Combine(TestHost.NewDataFolder(), "x.zip");

        var exit = await TeamsCommands.WriteManifestAsync(new BotFrameworkOptions(), Texts, path, stdout, stderr, CancellationToken.None);

        exit.Should().NotBe(0);
        stderr.ToString().Should().Contain("BotFramework:AppId is not configured");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Crc32_matches_the_reference_check_value()
    {
        PngEncoder.Crc32(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xCBF43926u);
    }

    private static void AssertPng(byte[] png, int width, int height, bool outline)
    {
        png.AsSpan(0, 8).ToArray().Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        var offset = 8;
        var chunks = new List<string>();
        using var idat = new MemoryStream();
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            PngEncoder.Crc32(png.AsSpan(offset + 4, 4 + length)).Should().Be(crc, $"chunk {type} has a valid CRC");
            chunks.Add(type);
            if (type == "IHDR")
            {
                BinaryPrimitives.ReadInt32BigEndian(data).Should().Be(width);
                BinaryPrimitives.ReadInt32BigEndian(data[4..]).Should().Be(height);
                data[8].Should().Be(8);
                data[9].Should().Be(6);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        chunks.First().Should().Be("IHDR");
        chunks.Last().Should().Be("IEND");
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var pixels = raw.ToArray();
        pixels.Length.Should().Be(height * (1 + width * 4));
        var stride = 1 + width * 4;
        var opaque = 0;
        var colours = new HashSet<int>();
        for (var y = 0; y < height; y++)
        {
            pixels[y * stride].Should().Be(0, "filter type none");
            for (var x = 0; x < width; x++)
            {
                var i = y * stride + 1 + x * 4;
                colours.Add(pixels[i] << 16 | pixels[i + 1] << 8 | pixels[i + 2]);
                if (pixels[i + 3] != 0)
                {
                    opaque++;
                    if (outline)
                    {
                        (pixels[i], pixels[i + 1], pixels[i + 2]).Should().Be(((byte)255, (byte)255, (byte)255), "the outline icon is white on transparent");
                    }
                }
            }
        }

        if (outline)
        {
            opaque.Should().BeInRange(20, width * height / 2);
        }
        else
        {
            opaque.Should().Be(width * height);
            colours.Count.Should().BeGreaterThan(1);
        }
    }

    private static string Read(ZipArchive zip, string name) => Encoding.UTF8.GetString(ReadBytes(zip, name));

    private static byte[] ReadBytes(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
