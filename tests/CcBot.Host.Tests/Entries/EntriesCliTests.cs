using CcBot.Core.Entries;
using CcBot.Core.Time;
using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CcBot.Host.Tests.Entries;

/// <summary><c>ccbot entries list|export|approve|reopen</c> and <c>ccbot vote open|tally</c> on a database filled by the host.</summary>
public sealed class EntriesCliTests
{
    private const string HaNoi = "ha-noi-2019";

    private static Dictionary<string, string?> Overrides(string folder) => new()
    {
        ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "ccbot.db")}",
        ["Storage:DataFolder"] = folder,
        ["Content:Root"] = RepoPaths.Root,
        ["Nlu:ModelFile"] = TestHost.SharedModelFile,
    };

    private static async Task<(int Exit, string Output)> RunAsync(string folder, params string[] args)
    {
        var output = new StringWriter();
        var exit = await CliRoot.RunAsync(args, TextReader.Null, output, Overrides(folder));
        return (exit, output.ToString());
    }

    [Fact]
    public async Task List_export_approve_reopen_and_vote_from_the_command_line()
    {
        var folder = TestHost.NewDataFolder();
        var clock = new ManualClock(VietnamTime.At(2019, 11, 1, 9, 0));
        await using (var host = await TestHost.StartAsync(dataFolder: folder, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock))))
        {
            var entries = host.Services.GetRequiredService<EntryService>();
            var text = "Sáng kiến một cửa điện tử liên thông giúp người dân nộp hồ sơ đăng ký hộ tịch tại bất kỳ điểm tiếp nhận nào của quận, trả kết quả trong ngày.";
            (await entries.SubmitAsync(HaNoi, new Submitter(1, "Nguyễn Văn An", "Phòng Tư pháp"), "Một cửa", new EntryDocument("a.txt", System.Text.Encoding.UTF8.GetBytes(text)), null, clock.GetUtcNow(), default))
                .Status.Should().Be(SubmitStatus.Accepted);
            (await entries.SubmitAsync(HaNoi, new Submitter(2, "Trần Thị Bình", "Thanh tra Sở"), "Mot cua", new EntryDocument("b.txt", System.Text.Encoding.UTF8.GetBytes("SANG KIEN MOT CUA DIEN TU LIEN THONG giup nguoi dan nop ho so dang ky ho tich tai bat ky diem tiep nhan nao cua quan, tra ket qua trong ngay.")), null, clock.GetUtcNow(), default))
                .Flags.Should().ContainSingle();
            (await entries.SubmitAsync(HaNoi, new Submitter(3, "Lê Văn Cường", "Văn phòng Sở"), "PDF", new EntryDocument("c.pdf", [0x25, 0x50, 0x44, 0x46]), null, clock.GetUtcNow(), default))
                .Status.Should().Be(SubmitStatus.Accepted);
        }

        var list = await RunAsync(folder, "entries", "list", "--contest", HaNoi);
        list.Exit.Should().Be(0);
        list.Output.Should().Contain("HN19-0001\tNguyễn Văn An\tPhòng Tư pháp\t2019-11-01 09:00").And.Contain("a.txt [ok]")
            .And.Contain("review: HN19-0001 ~ HN19-0002").And.Contain("chưa trích xuất được văn bản").And.Contain("3 entries, 1 pairs to review.");

        var xlsx = Path.Combine(folder, "entries.xlsx");
        (await RunAsync(folder, "entries", "export", "--contest", HaNoi, "--out", xlsx)).Exit.Should().Be(0);
        File.Exists(xlsx).Should().BeTrue();
        var csv = Path.Combine(folder, "entries.csv");
        (await RunAsync(folder, "entries", "export", "--contest", HaNoi, "--out", csv)).Exit.Should().Be(0);
        (await File.ReadAllTextAsync(csv)).Should().Contain("Mã biên nhận").And.Contain("HN19-0002 (").And.Contain("HN19-0001 (");
        (await File.ReadAllTextAsync(Path.Combine(folder, "entries-review.csv"))).Should().Contain("mot cua dien tu lien thong");

        (await RunAsync(folder, "entries", "approve", "--contest", HaNoi, "HN19-0001", "HN19-0003")).Output.Should().Contain("Approved 2 of 2");
        (await RunAsync(folder, "entries", "reopen", "--contest", HaNoi, "--unit", "Thanh tra Sở", "--until", "2019-11-12 17:00")).Exit.Should().Be(0);
        (await RunAsync(folder, "vote", "open", "--contest", HaNoi, "--from", "2019-11-20 08:00", "--to", "2019-11-10")).Exit.Should().Be(2);
        (await RunAsync(folder, "vote", "open", "--contest", HaNoi, "--from", "2019-11-20 08:00", "--to", "2019-11-30 17:00")).Output.Should().Contain("open from 2019-11-20 08:00");
        var tally = await RunAsync(folder, "vote", "tally", "--contest", HaNoi);
        tally.Output.Should().Contain("HN19-0001\t0").And.Contain("0 votes.");
        (await RunAsync(folder, "entries", "list", "--contest", "hai-duong-2024")).Exit.Should().Be(2);
    }
}
