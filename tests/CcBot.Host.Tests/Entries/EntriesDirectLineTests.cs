using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CcBot.Core.Entries;
using CcBot.Core.Time;
using CcBot.Core.Voting;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CcBot.Host.Tests.Entries;

/// <summary>Entry submission with a file upload and a vote, through the real host over Direct Line.</summary>
public sealed class EntriesDirectLineTests
{
    private const string Contest = "khanh-hoa-2021";

    private static string Text(JsonObject message) => message["text"]?.GetValue<string>() ?? string.Empty;

    private static List<string> Buttons(JsonObject message) =>
        message["suggestedActions"]?["actions"]?.AsArray().Select(a => a!["value"]?.GetValue<string>() ?? string.Empty).ToList() ?? [];

    private static async Task<IReadOnlyList<JsonObject>> PressAsync(DirectLineClient dl, string value)
    {
        await dl.SendAsync(value, value);
        return await dl.GetBotMessagesAsync();
    }

    private static async Task<IReadOnlyList<JsonObject>> UploadAsync(TestHost host, DirectLineClient dl, string fileName, byte[] content, string? text = null)
    {
        using var form = new MultipartFormDataContent();
        var json = new JsonObject { ["type"] = "message", ["from"] = new JsonObject { ["id"] = dl.UserId } };
        if (text is not null)
        {
            json["text"] = text;
        }

        var activity = new StringContent(json.ToJsonString(), Encoding.UTF8);
        activity.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.microsoft.activity");
        form.Add(activity, "activity", "blob");
        form.Add(new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } }, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v3/directline/conversations/{dl.ConversationId}/upload?userId={dl.UserId}") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dl.Token);
        (await host.Http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
        return await dl.GetBotMessagesAsync();
    }

    [Fact]
    public async Task Submit_an_entry_with_a_file_upload_get_a_receipt_list_it_and_vote()
    {
        var clock = new ManualClock(VietnamTime.At(2021, 7, 10, 9, 0));
        // The clock jumps days ahead (deadline, vote window): a token that outlives the jumps.
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["DirectLine:TokenLifetimeSeconds"] = "10000000" }, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync(Contest);
        await dl.GetActivitiesAsync();

        var menu = (await PressAsync(dl, "entries:" + Contest)).Last();
        Text(menu).Should().Contain("24h00 ngày 15/7/2021");
        Buttons(menu).Should().Contain("entry_submit:" + Contest);

        string.Join("\n", (await PressAsync(dl, "entry_submit:" + Contest)).Select(Text)).Should().Contain("họ và tên");
        (await dl.AskAsync("Nguyễn Văn An")).Should().Contain("đơn vị");
        (await dl.AskAsync("Phòng Tư pháp")).Should().Contain("đồng ý");
        var saved = (await PressAsync(dl, "pc:yes")).Last();
        Buttons(saved).Should().Equal("entry_submit:" + Contest);

        string.Join("\n", (await PressAsync(dl, "entry_submit:" + Contest)).Select(Text)).Should().Contain("tên bài dự thi");
        (await dl.AskAsync("Một cửa liên thông")).Should().Contain("tệp bài dự thi");

        // A wrong type is refused with the reason; the dialog waits for another file.
        string.Join("\n", (await UploadAsync(host, dl, "clip.exe", [1, 2, 3])).Select(Text)).Should().Contain(".docx, .pdf, .txt");

        var content = Encoding.UTF8.GetBytes("Sáng kiến một cửa điện tử liên thông giúp người dân nộp hồ sơ tại bất kỳ điểm tiếp nhận nào.");
        var accepted = string.Join("\n", (await UploadAsync(host, dl, "de-cuong.txt", content, "https://youtu.be/clip1")).Select(Text));
        accepted.Should().Contain("KH21-0001").And.Contain("9h00 ngày 10/7/2021").And.Contain("de-cuong.txt").And.Contain("https://youtu.be/clip1");

        var entry = (await host.Services.GetRequiredService<IEntryStore>().ListAsync(Contest, default)).Single();
        entry.Receipt.Should().Be("KH21-0001");
        (await host.Services.GetRequiredService<EntryFileStore>().ReadAsync(entry.FileHash!, default)).Should().Equal(content);

        string.Join("\n", (await PressAsync(dl, "my_entries")).Select(Text)).Should().Contain("KH21-0001").And.Contain("Một cửa liên thông");

        // After the deadline: refused with the deadline shown.
        clock.Set(VietnamTime.At(2021, 7, 16, 8, 0));
        string.Join("\n", (await PressAsync(dl, "entry_submit:" + Contest)).Select(Text)).Should().Contain("Đã hết hạn").And.Contain("15/7/2021");

        // Vote: outside the window refused with the window, then once, then a double vote refused.
        await host.Services.GetRequiredService<IEntryStore>().ApproveAsync(Contest, ["KH21-0001"], default);
        await host.Services.GetRequiredService<VotingService>().OpenAsync(Contest, VietnamTime.At(2021, 8, 1, 8, 0), VietnamTime.At(2021, 8, 10, 17, 0), default);
        string.Join("\n", (await PressAsync(dl, $"vote:{Contest}|KH21-0001")).Select(Text)).Should().Contain("Chưa đến thời gian bình chọn").And.Contain("8h00 ngày 01/8/2021");
        clock.Set(VietnamTime.At(2021, 8, 2, 9, 0));
        var ballot = (await PressAsync(dl, "vote:" + Contest)).Last();
        Text(ballot).Should().Contain("KH21-0001").And.Contain("Phòng Tư pháp").And.Contain("https://youtu.be/clip1");
        string.Join("\n", (await PressAsync(dl, $"vote:{Contest}|KH21-0001")).Select(Text)).Should().Contain("Đã ghi nhận");
        string.Join("\n", (await PressAsync(dl, $"vote:{Contest}|KH21-0001")).Select(Text)).Should().Contain("đã bình chọn cho bài KH21-0001 rồi");
        (await host.Services.GetRequiredService<VotingService>().TallyAsync(Contest, default)).TotalVotes.Should().Be(1);
    }

    [Fact]
    public async Task The_overview_of_an_entries_contest_offers_the_entries_menu_and_a_quiz_contest_does_not()
    {
        await using var host = await TestHost.StartAsync();
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync(Contest);
        await dl.GetActivitiesAsync();
        Buttons((await PressAsync(dl, "overview")).Last()).Should().Contain("entries:" + Contest);

        var quiz = new DirectLineClient(host.Http);
        await quiz.StartAsync("hai-duong-2024");
        await quiz.GetActivitiesAsync();
        Buttons((await PressAsync(quiz, "overview")).Last()).Should().NotContain(b => b.StartsWith("entries:", StringComparison.Ordinal));

        // Without an active dialog a file alone still gets the hint.
        string.Join("\n", (await UploadAsync(host, quiz, "bai.txt", [65, 66]))
            .Select(Text)).Should().NotContain("Đã nhận bài dự thi");
    }

    [Fact]
    public async Task Organizers_see_the_live_tally_with_burst_flags_when_participants_may_not()
    {
        const string haNoi = "ha-noi-2019";
        var clock = new ManualClock(VietnamTime.At(2019, 11, 1, 9, 0));
        await using var host = await TestHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var entries = host.Services.GetRequiredService<EntryService>();
        await entries.SubmitAsync(haNoi, new Submitter(1, "A", "Phòng Tư pháp"), "Một cửa", new EntryDocument("a.txt", [65, 66, 67]), null, clock.GetUtcNow(), default);
        await host.Services.GetRequiredService<IEntryStore>().ApproveAsync(haNoi, ["HN19-0001"], default);
        var voting = host.Services.GetRequiredService<VotingService>();
        await voting.OpenAsync(haNoi, VietnamTime.At(2019, 11, 20), VietnamTime.At(2019, 11, 30), default);
        clock.Set(VietnamTime.At(2019, 11, 21, 9, 0));
        for (var u = 100; u < 106; u++)
        {
            await voting.CastAsync(haNoi, "HN19-0001", u, clock.GetUtcNow().AddMinutes(-3), clock.GetUtcNow(), default);
        }

        var participant = new DirectLineClient(host.Http);
        await participant.StartAsync(haNoi);
        await participant.GetActivitiesAsync();
        string.Join("\n", (await PressAsync(participant, "tally:" + haNoi)).Select(Text)).Should().Contain("chỉ được công bố");

        var organizer = new DirectLineClient(host.Http);
        await organizer.StartAsync(haNoi);
        await organizer.GetActivitiesAsync();
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EntryOptions>>().Value.Organizers.Add("directline:" + organizer.UserId);
        var tally = string.Join("\n", (await PressAsync(organizer, "tally:" + haNoi)).Select(Text));
        tally.Should().Contain("(6 lượt)").And.Contain("HN19-0001").And.Contain("6 lượt từ tài khoản mới tạo");
    }
}
