using System.Text.Json.Nodes;
using CcBot.Core.Time;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CcBot.Host.Tests.Quiz;

/// <summary>Contest attempts driven through the real host over Direct Line, with a moved clock and a restart.</summary>
public sealed class QuizDirectLineTests
{
    private const string Contest = "hai-duong-2024";

    private static Task<TestHost> StartHostAsync(ManualClock clock, string? folder = null) =>
        TestHost.StartAsync(dataFolder: folder, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));

    private static string Text(JsonObject message) => message["text"]?.GetValue<string>() ?? string.Empty;

    private static List<string> Buttons(JsonObject message) =>
        message["suggestedActions"]?["actions"]?.AsArray().Select(a => a!["value"]?.GetValue<string>() ?? string.Empty).ToList() ?? [];

    private static async Task<IReadOnlyList<JsonObject>> PressAsync(DirectLineClient dl, string value)
    {
        await dl.SendAsync(value, value);
        return await dl.GetBotMessagesAsync();
    }

    private static async Task<IReadOnlyList<JsonObject>> TypeAsync(DirectLineClient dl, string text)
    {
        await dl.SendAsync(text);
        return await dl.GetBotMessagesAsync();
    }

    /// <summary>Enters name, unit (by part of its name) and consent, then starts the attempt; returns the first question.</summary>
    private static async Task<JsonObject> RegisterAndStartAsync(DirectLineClient dl)
    {
        var menu = (await PressAsync(dl, "quiz_start")).Last();
        Buttons(menu).Should().Contain($"quiz_contest:{Contest}");
        var ask = await PressAsync(dl, $"quiz_contest:{Contest}");
        string.Join("\n", ask.Select(Text)).Should().Contain("họ và tên đầy đủ");
        (await dl.AskAsync("Nguyễn Văn An")).Should().Contain("đơn vị");
        var consent = await dl.AskAsync("van phong");
        consent.Should().Contain("Văn phòng Sở").And.Contain("đồng ý");
        var saved = (await PressAsync(dl, "pc:yes")).Last();
        Text(saved).Should().Contain("Nguyễn Văn An – Văn phòng Sở");
        var first = await PressAsync(dl, Buttons(saved).Single());
        string.Join("\n", first.Select(Text)).Should().Contain("Bắt đầu lượt thi tính giờ trên CcBot");
        return first.Last();
    }

    [Fact]
    public async Task A_full_contest_attempt_over_direct_line_ignores_double_taps_and_ends_with_score_time_and_rank()
    {
        var clock = new ManualClock(VietnamTime.At(2024, 11, 25, 9, 0));
        await using var host = await StartHostAsync(clock);
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync(Contest);
        await dl.GetActivitiesAsync();

        var question = await RegisterAndStartAsync(dl);
        var firstQuestionButton = Buttons(question)[0];
        for (var i = 0; i < 10; i++)
        {
            Text(question).Should().Contain($"Câu {i + 1}/10");
            var buttons = Buttons(question);
            buttons.Should().HaveCount(4).And.OnlyContain(b => b.StartsWith("qa:", StringComparison.Ordinal) && b.Contains($":{i}:"));
            clock.Advance(TimeSpan.FromSeconds(5));
            var replies = await PressAsync(dl, buttons[0]);
            if (i == 0)
            {
                // Double tap (the same button again) and another option of the answered question: ignored with a short notice.
                (await PressAsync(dl, buttons[0])).Select(Text).Should().ContainSingle().Which.Should().Contain("không được tính");
                (await PressAsync(dl, buttons[1])).Select(Text).Should().ContainSingle().Which.Should().Contain("không được tính");
            }

            question = replies.Last();
        }

        Text(question).Should().Contain("bao nhiêu người tham gia");
        var result = string.Join("\n", (await TypeAsync(dl, "1.500")).Select(Text));
        result.Should().Contain("Đã ghi nhận dự đoán").And.Contain("Số câu đúng:").And.Contain("/10").And.Contain("Thời gian: 50 giây").And.Contain("Thứ hạng hiện tại của bạn: 1");

        (await PressAsync(dl, firstQuestionButton)).Select(Text).Should().ContainSingle().Which.Should().Contain("hết hiệu lực");
        string.Join("\n", (await PressAsync(dl, $"results:{Contest}")).Select(Text)).Should().Contain("Lượt 1: đúng");
        (await dl.AskAsync("kết quả thi của tôi")).Should().Contain("Lượt 1: đúng");
        string.Join("\n", (await PressAsync(dl, $"leaderboard:{Contest}")).Select(Text)).Should().Contain("1. Nguyễn Văn An (Văn phòng Sở)");

        // The participant views and corrects their unit; the stored attempt follows (reports use it).
        var profile = (await PressAsync(dl, $"profile:{Contest}")).Single();
        Text(profile).Should().Contain("Nguyễn Văn An").And.Contain("Văn phòng Sở");
        var units = (await PressAsync(dl, $"profile_edit:unit|{Contest}")).Single();
        Text(units).Should().Contain("đơn vị");
        var choices = (await TypeAsync(dl, "sở")).Single();
        Buttons(choices).Should().HaveCount(4);
        (await TypeAsync(dl, "su nghiep")).Select(Text).Single().Should().Contain("Đã cập nhật: Nguyễn Văn An – Đơn vị sự nghiệp thuộc Sở");

        await using var conn = new SqliteConnection($"Data Source={host.DatabasePath}");
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM quiz_answers) || '|' || status || '|' || duration_ms || '|' || prediction || '|' || unit FROM quiz_attempts";
        ((string)(await cmd.ExecuteScalarAsync())!).Should().Be("10|finished|50000|1500|Đơn vị sự nghiệp thuộc Sở");
    }

    [Fact]
    public async Task An_attempt_survives_a_host_restart_and_resumes_at_the_current_question()
    {
        var clock = new ManualClock(VietnamTime.At(2024, 11, 25, 9, 0));
        var folder = TestHost.NewDataFolder();
        string token, conversation;
        JsonObject question;
        await using (var first = await StartHostAsync(clock, folder))
        {
            var dl = new DirectLineClient(first.Http);
            await dl.StartAsync(Contest);
            await dl.GetActivitiesAsync();
            question = await RegisterAndStartAsync(dl);
            for (var i = 0; i < 3; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(3));
                question = (await PressAsync(dl, Buttons(question)[0])).Last();
            }

            token = dl.Token;
            conversation = dl.ConversationId;
        }

        Text(question).Should().Contain("Câu 4/10");
        await using var second = await StartHostAsync(clock, folder);
        var resumed = new DirectLineClient(second.Http) { Token = token, ConversationId = conversation };
        await resumed.GetActivitiesAsync();

        // The old question's button still answers question 4 after the restart; typing a letter works too.
        clock.Advance(TimeSpan.FromSeconds(3));
        question = (await PressAsync(resumed, Buttons(question)[2])).Last();
        Text(question).Should().Contain("Câu 5/10");
        clock.Advance(TimeSpan.FromSeconds(3));
        question = (await TypeAsync(resumed, "b")).Last();
        Text(question).Should().Contain("Câu 6/10");

        // Leaving the attempt and starting again resumes it; the clock keeps running, a late answer does not count.
        await resumed.AskAsync("menu");
        var again = string.Join("\n", (await PressAsync(resumed, $"quiz_contest:{Contest}")).Select(Text));
        again.Should().Contain("tiếp tục").And.Contain("Câu 6/10");
        clock.Advance(TimeSpan.FromSeconds(31));
        var late = (await TypeAsync(resumed, "a")).ToList();
        Text(late[0]).Should().Contain("hết giờ");
        Text(late.Last()).Should().Contain("Câu 7/10");

        await using var conn = new SqliteConnection($"Data Source={second.DatabasePath}");
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) || '|' || SUM(late) FROM quiz_answers";
        ((string)(await cmd.ExecuteScalarAsync())!).Should().Be("6|1");
    }

    [Fact]
    public async Task Practice_gives_immediate_feedback_with_the_explanation_and_its_source()
    {
        var clock = new ManualClock(VietnamTime.At(2025, 3, 1, 9, 0));
        await using var host = await StartHostAsync(clock);
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync(Contest);
        await dl.GetActivitiesAsync();

        string.Join("\n", (await PressAsync(dl, $"quiz_contest:{Contest}")).Select(Text)).Should().Contain("họ và tên");
        var practice = await PressAsync(dl, $"quiz_practice:{Contest}");
        practice.Select(Text).First().Should().Contain("luyện tập với 5 câu");
        var feedback = string.Join("\n", (await PressAsync(dl, Buttons(practice.Last())[0])).Select(Text));
        feedback.Should().MatchRegex("Chính xác|Chưa đúng").And.Contain("Giải thích:").And.Contain("Nguồn:").And.Contain("Câu 2/5");
    }
}
