using System.Net;
using System.Text.Json.Nodes;
using CcBot.Core.Privacy;
using CcBot.Core.Time;
using CcBot.Host.Cli;
using CcBot.Host.StaffConsole;
using CcBot.Host.Tests.Console;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CcBot.Host.Tests.Privacy;

/// <summary>Personal data through the real host: consent logged, "dữ liệu của tôi" in web chat, the download link, erasure; the CLI and console verbs.</summary>
public sealed class PrivacyChatTests
{
    private const string Contest = "hai-duong-2024";

    private static string Text(JsonObject message) => message["text"]?.GetValue<string>() ?? string.Empty;

    private static List<string> Buttons(JsonObject message) =>
        message["suggestedActions"]?["actions"]?.AsArray().Select(a => a!["value"]?.GetValue<string>() ?? string.Empty).ToList() ?? [];

    private static async Task<JsonObject> PressAsync(DirectLineClient dl, string value)
    {
        await dl.SendAsync(value, value);
        return (await dl.GetBotMessagesAsync()).Last();
    }

    private static async Task<JsonObject> TypeAsync(DirectLineClient dl, string text)
    {
        await dl.SendAsync(text);
        return (await dl.GetBotMessagesAsync()).Last();
    }

    private static Task<TestHost> StartAsync(ManualClock clock) =>
        TestHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));

    /// <summary>A web chat user registered as Nguyễn Văn An of Văn phòng Sở (consent given), in a started contest attempt.</summary>
    private static async Task<DirectLineClient> RegisteredAsync(TestHost host)
    {
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync(Contest);
        await dl.GetActivitiesAsync();
        await PressAsync(dl, "quiz_start");
        await PressAsync(dl, $"quiz_contest:{Contest}");
        await TypeAsync(dl, "Nguyễn Văn An");
        await TypeAsync(dl, "van phong");
        var saved = await PressAsync(dl, "pc:yes");
        Text(await PressAsync(dl, Buttons(saved).Single())).Should().Contain("Câu 1/10");
        return dl;
    }

    private static async Task<object?> ScalarAsync(TestHost host, string sql)
    {
        await using var conn = new SqliteConnection($"Data Source={host.DatabasePath}");
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task<long> CountAsync(TestHost host, string sql) => (long)(await ScalarAsync(host, sql))!;

    [Fact]
    public async Task A_participant_reads_downloads_and_erases_their_data_in_the_chat()
    {
        var clock = new ManualClock(VietnamTime.At(2024, 11, 25, 9, 0));
        await using var host = await StartAsync(clock);
        var dl = await RegisteredAsync(host);

        // The consent is logged with the exact text shown and its version.
        var shown = (string?)await ScalarAsync(host, $"SELECT text FROM consent_records WHERE channel = 'directline' AND channel_user_id = '{dl.UserId}' AND action = 'given' AND version = '2026-12-07'");
        shown.Should().Contain("Bạn đồng ý để CcBot lưu họ tên **Nguyễn Văn An** và đơn vị **Văn phòng Sở").And.Contain("báo cáo số người tham gia theo đơn vị");

        // Asked in the middle of the attempt, without diacritics.
        var summary = await TypeAsync(dl, "du lieu cua toi");
        Text(summary).Should().Contain("Họ tên: Nguyễn Văn An; đơn vị: Văn phòng Sở").And.Contain("25/11/2024 09:").And.Contain("phiên bản 2026-12-07")
            .And.Contain("Lượt thi: 1").And.Contain("lưu trong 365 ngày").And.Contain("Nghị định 13/2023/NĐ-CP");
        Buttons(summary).Should().Contain(["privacy_export", "privacy_withdraw", "privacy_erase"]);

        var link = Buttons(await PressAsync(dl, "privacy_export")).Single(b => b.StartsWith("http", StringComparison.Ordinal));
        link.Should().StartWith(host.BaseAddress + "privacy/export/");
        using var download = await host.Http.GetAsync(new Uri(link));
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        download.Content.Headers.ContentDisposition!.FileName.Should().Contain("du-lieu-cua-toi.json");
        var document = JsonNode.Parse(await download.Content.ReadAsStringAsync())!;
        document["profile"]!["full_name"]!.GetValue<string>().Should().Be("Nguyễn Văn An");
        document["quiz_attempts"]!.AsArray().Should().ContainSingle().Which!["contest_id"]!.GetValue<string>().Should().Be(Contest);
        document["messages"]!.AsArray().Should().Contain(m => m!["text"] != null && m["text"]!.GetValue<string>() == "du lieu cua toi");
        (await host.Http.GetAsync(new Uri(link[..^4] + "AAAA"))).StatusCode.Should().Be(HttpStatusCode.NotFound, "a link altered by anyone opens nothing");

        Text(await PressAsync(dl, "privacy_erase")).Should().Contain("vĩnh viễn").And.Contain("Bạn chắc chắn");
        Text(await PressAsync(dl, "privacy_erase:confirm")).Should().Contain("Đã xoá dữ liệu của bạn");

        (await CountAsync(host, "SELECT COUNT(*) FROM users WHERE full_name = 'Nguyễn Văn An'")).Should().Be(0);
        (await CountAsync(host, $"SELECT COUNT(*) FROM transcript WHERE text LIKE '%Nguyễn Văn An%' OR text = 'du lieu cua toi'")).Should().Be(0);
        (await CountAsync(host, $"SELECT COUNT(*) FROM quiz_attempts WHERE full_name = '{PersonalDataEraser.ErasedName}' AND unit = 'Văn phòng Sở'")).Should().Be(1, "the attempt still counts for the unit");
        (await CountAsync(host, "SELECT COUNT(*) FROM consent_records WHERE action = 'erased'")).Should().Be(1);
        var after = await TypeAsync(dl, "Dữ liệu của tôi");
        Text(after).Should().Contain("Họ tên: chưa cung cấp").And.Contain("Lượt thi: 0").And.Contain("chưa đồng ý");
        (await host.Http.GetStringAsync(new Uri(link))).Should().NotContain("Nguyễn Văn An", "after the erasure the link finds nothing of the person");
        clock.Advance(TimeSpan.FromMinutes(61));
        (await host.Http.GetAsync(new Uri(link))).StatusCode.Should().Be(HttpStatusCode.NotFound, "a link works for Privacy:ExportLinkMinutes (60)");
    }

    [Fact]
    public async Task Withdrawing_consent_removes_name_and_unit_and_is_logged()
    {
        var clock = new ManualClock(VietnamTime.At(2024, 11, 25, 9, 0));
        await using var host = await StartAsync(clock);
        var dl = await RegisteredAsync(host);

        Text(await PressAsync(dl, "privacy_withdraw")).Should().Contain("Đã rút lại sự đồng ý");

        (await CountAsync(host, $"SELECT COUNT(*) FROM users WHERE channel_user_id = '{dl.UserId}' AND full_name IS NULL AND unit IS NULL AND consent_at IS NULL")).Should().Be(1);
        (await CountAsync(host, $"SELECT COUNT(*) FROM consent_records WHERE channel_user_id = '{dl.UserId}' AND action = 'withdrawn'")).Should().Be(1);
        Text(await PressAsync(dl, "privacy_withdraw")).Should().Contain("không có gì để rút lại");
    }

    [Fact]
    public async Task Staff_export_and_erase_from_the_cli_and_the_console_are_audited()
    {
        await using var host = await StartAsync(new ManualClock(VietnamTime.At(2024, 11, 25, 9, 0)));
        var first = await RegisteredAsync(host);
        var second = new DirectLineClient(host.Http);
        await second.StartAsync(Contest);
        await second.SendAsync("Hạn cuối là khi nào?");
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={host.DatabasePath}",
            ["Storage:DataFolder"] = host.DataFolder,
            ["Content:Root"] = RepoPaths.Root,
            ["Nlu:ModelFile"] = TestHost.SharedModelFile,
        };

        var output = new StringWriter();
        (await CliRoot.RunAsync(["privacy", "export", "directline:" + first.UserId], TextReader.Null, output, overrides)).Should().Be(0);
        JsonNode.Parse(output.ToString())!["profile"]!["full_name"]!.GetValue<string>().Should().Be("Nguyễn Văn An");
        (await CliRoot.RunAsync(["privacy", "erase", "directline:" + first.UserId], TextReader.Null, new StringWriter(), overrides)).Should().Be(2, "an erasure needs --yes");
        (await CliRoot.RunAsync(["privacy", "export", "telegram:nobody"], TextReader.Null, new StringWriter(), overrides)).Should().Be(2);
        var erased = new StringWriter();
        (await CliRoot.RunAsync(["privacy", "erase", "directline:" + first.UserId, "--yes"], TextReader.Null, erased, overrides)).Should().Be(0);
        erased.ToString().Should().Contain("1 quiz attempts and 0 entries kept without the name");
        (await CountAsync(host, "SELECT COUNT(*) FROM users WHERE full_name = 'Nguyễn Văn An'")).Should().Be(0);

        using var admin = await ConsoleClient.SignInAsync(host, "hoa", StaffRoles.Admin);
        var export = await admin.PostFormAsync("console/admin/privacy", "Export", new() { ["Subject"] = "directline:" + second.UserId });
        export.StatusCode.Should().Be(HttpStatusCode.OK);
        (await export.Content.ReadAsStringAsync()).Should().Contain("Hạn cuối là khi nào?");
        var refused = await admin.PostFormAsync("console/admin/privacy", "Erase", new() { ["Subject"] = "directline:" + second.UserId, ["Confirm"] = "directline:other" });
        refused.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await CountAsync(host, $"SELECT COUNT(*) FROM transcript WHERE text = 'Hạn cuối là khi nào?'")).Should().Be(1, "a confirmation that differs erases nothing");
        var erase = await admin.PostFormAsync("console/admin/privacy", "Erase", new() { ["Subject"] = "directline:" + second.UserId, ["Confirm"] = "directline:" + second.UserId });
        erase.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await CountAsync(host, $"SELECT COUNT(*) FROM transcript WHERE text = 'Hạn cuối là khi nào?'")).Should().Be(0);
        (await admin.Http.GetStringAsync("console/admin/privacy")).Should().Contain("Đã xoá dữ liệu của directline:" + second.UserId);

        using var helpdesk = await ConsoleClient.SignInAsync(host, "lan", StaffRoles.HelpDesk);
        (await helpdesk.Http.GetAsync("console/admin/privacy")).StatusCode.Should().NotBe(HttpStatusCode.OK, "only an admin handles personal data requests");

        var audit = await host.Services.GetRequiredService<Core.HelpDesk.IHelpDeskStore>().ReadAuditAsync(20, CancellationToken.None);
        audit.Where(a => a.Action.StartsWith("privacy.", StringComparison.Ordinal)).Select(a => (a.Staff.StartsWith("cli:", StringComparison.Ordinal) ? "cli" : a.Staff, a.Action))
            .Should().BeEquivalentTo(new[] { ("cli", "privacy.export"), ("cli", "privacy.erase"), ("hoa", "privacy.export"), ("hoa", "privacy.erase") });
        audit.Should().NotContain(a => a.Target != null && (a.Target.Contains(first.UserId, StringComparison.Ordinal) || a.Target.Contains(second.UserId, StringComparison.Ordinal)),
            "the audit log names erased people by their anonymous id only");
    }

    [Fact]
    public async Task The_retention_job_is_scheduled_daily_in_vietnam_time_and_purges_old_transcripts()
    {
        await using var host = await TestHost.StartAsync();
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync();
        await dl.SendAsync("xin chào");
        await ScalarAsync(host, "INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, created_at, status) " +
                                "VALUES ('telegram:1', 1, 'old', 'telegram', '1', 'Message', 'tin cũ', '2020-01-01T00:00:00.0000000+00:00', 'handled')");

        var scheduler = await host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        var trigger = (Quartz.ICronTrigger)(await scheduler.GetTrigger(new Quartz.TriggerKey(TranscriptRetentionJob.Key.Name, TranscriptRetentionJob.Key.Group)))!;
        trigger.CronExpressionString.Should().Be("0 30 2 * * ?");
        trigger.TimeZone.BaseUtcOffset.Should().Be(TimeSpan.FromHours(7));

        await scheduler.TriggerJob(TranscriptRetentionJob.Key);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await CountAsync(host, "SELECT COUNT(*) FROM transcript WHERE activity_id = 'old'") > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        (await CountAsync(host, "SELECT COUNT(*) FROM transcript WHERE activity_id = 'old'")).Should().Be(0, "older than Privacy:TranscriptRetentionDays (365)");
        (await CountAsync(host, "SELECT COUNT(*) FROM transcript WHERE text = 'xin chào'")).Should().Be(1);
    }
}
