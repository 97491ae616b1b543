using System.Net;
using System.Net.Http.Headers;
using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Console;

/// <summary>Organizer pages over real HTTP: reports (XLSX download, volume per day, unanswered), transcript search, bank upload with row errors.</summary>
public sealed class OrganizerPagesTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Reports_show_volume_and_unanswered_questions_and_download_participation_as_xlsx()
    {
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await chat.AskAsync("nếu mất điện giữa chừng thì thế nào");
        using var organizer = await ConsoleClient.SignInAsync(_host, "bto", StaffRoles.Organizer);

        var html = await organizer.Http.GetStringAsync("console/organizer/reports?contest=hai-duong-2024");
        html.Should().Contain(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).And.Contain("nếu mất điện giữa chừng thì thế nào");

        var xlsx = await organizer.Http.GetAsync("console/organizer/reports?handler=Xlsx&contest=hai-duong-2024");
        xlsx.StatusCode.Should().Be(HttpStatusCode.OK);
        xlsx.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        (await xlsx.Content.ReadAsByteArrayAsync())[..2].Should().Equal((byte)'P', (byte)'K');
        (await organizer.Http.GetAsync("console/organizer/reports?contest=no-such-contest")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Broadcasts_preview_the_audience_size_schedule_and_cancel()
    {
        for (var i = 0; i < 2; i++)
        {
            var chat = new DirectLineClient(_host.Http);
            await chat.StartAsync();
            await chat.AskAsync("xin chào");
        }

        using var organizer = await ConsoleClient.SignInAsync(_host, "bc-bto", StaffRoles.Organizer);
        var fields = new Dictionary<string, string>
        {
            ["Text"] = "Cuộc thi sắp kết thúc, hãy nộp bài sớm!",
            ["Audience"] = "Channel",
            ["AudienceValue"] = "directline",
            ["SendAt"] = "2099-01-15T08:00",
            ["Links"] = "Thể lệ|https://example.org/the-le",
        };
        var preview = await organizer.PostFormAsync("console/organizer/broadcasts", "Preview", fields);
        preview.StatusCode.Should().Be(HttpStatusCode.OK);
        (await preview.Content.ReadAsStringAsync()).Should().Contain("<b id=\"audience-size\">2</b>");

        var invalid = await organizer.PostFormAsync("console/organizer/broadcasts", "Create", new(fields) { ["Audience"] = "Contest", ["AudienceValue"] = "no-such-contest" });
        (await invalid.Content.ReadAsStringAsync()).Should().Contain("Không có cuộc thi");

        (await organizer.PostFormAsync("console/organizer/broadcasts", "Create", fields)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var list = await organizer.Http.GetStringAsync("console/organizer/broadcasts");
        list.Should().Contain("Cuộc thi sắp kết thúc").And.Contain("0/2 đã gửi, 2 chờ");
        var id = (await _host.Services.GetRequiredService<Core.Broadcasts.BroadcastService>().ListAsync(10, CancellationToken.None)).Single().Id;

        (await organizer.PostFormAsync("console/organizer/broadcasts", "Cancel&id=" + id)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await _host.Services.GetRequiredService<Core.Broadcasts.BroadcastService>().ListAsync(10, CancellationToken.None)).Single().Status.Should().Be("cancelled");
        (await _host.Services.GetRequiredService<IHelpDeskStore>().ReadAuditAsync(50, CancellationToken.None)).Select(a => a.Action).Should().Contain(["broadcast.create", "broadcast.cancel"]);
    }

    [Fact]
    public async Task Transcript_search_finds_messages_by_text_and_user()
    {
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await chat.AskAsync("hạn cuối cuộc thi Hải Dương là khi nào");
        using var organizer = await ConsoleClient.SignInAsync(_host, "search-bto", StaffRoles.Organizer);
        var byText = await organizer.Http.GetStringAsync("console/organizer/transcripts?text=" + Uri.EscapeDataString("hạn cuối cuộc thi"));
        byText.Should().Contain("hạn cuối cuộc thi Hải Dương là khi nào");
        var byUser = await organizer.Http.GetStringAsync("console/organizer/transcripts?user=" + Uri.EscapeDataString("directline:" + chat.ConversationId));
        byUser.Should().Contain("hạn cuối cuộc thi Hải Dương là khi nào");
        var future = await organizer.Http.GetStringAsync("console/organizer/transcripts?text=h&from=2999-01-01");
        future.Should().Contain("0 kết quả");
        (await _host.Services.GetRequiredService<IHelpDeskStore>().ReadAuditAsync(50, CancellationToken.None)).Should().Contain(a => a.Staff == "search-bto" && a.Action == "transcript.search");
    }

    [Fact]
    public async Task Bank_upload_lists_bad_rows_and_imports_nothing_unless_asked()
    {
        using var organizer = await ConsoleClient.SignInAsync(_host, "bank-bto", StaffRoles.Organizer);
        async Task<string> UploadAsync(bool skipBad)
        {
            var token = await organizer.TokenAsync("console/organizer/banks");
            using var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent("hai-duong-2024"), "ContestId" },
            };
            if (skipBad)
            {
                form.Add(new StringContent("true"), "SkipBad");
            }

            var file = new ByteArrayContent("question,a,b,c,correct,source\nCâu 1?,x,y,z,A,Tài liệu\nCâu 2?,x,y,z,,Tài liệu\nCâu 1?,x,y,z,B,Tài liệu\n"u8.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "Upload", "bank.csv");
            var response = await organizer.Http.PostAsync("console/organizer/banks", form);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return await response.Content.ReadAsStringAsync();
        }

        var strict = await UploadAsync(skipBad: false);
        strict.Should().Contain("Chưa nhập gì").And.Contain("missing_correct").And.Contain("duplicate_question").And.Contain("<td>3</td>").And.Contain("<td>4</td>");
        (await UploadAsync(skipBad: true)).Should().Contain("Đã nhập 1 câu hỏi");
    }
}
