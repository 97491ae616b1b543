using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Broadcasts;

public sealed class BroadcastCliTests
{
    [Theory]
    [InlineData("2025-01-15T08:00", "2025-01-15T01:00:00Z")]
    [InlineData("2025-01-15 08:00", "2025-01-15T01:00:00Z")]
    [InlineData("2025-01-15T08:00Z", "2025-01-15T08:00:00Z")]
    [InlineData("2025-01-15T08:00+07:00", "2025-01-15T01:00:00Z")]
    public void At_is_Vietnam_time_unless_an_offset_is_given(string text, string utc)
    {
        BroadcastCommands.TryParseTime(text, out var at).Should().BeTrue();
        at.UtcDateTime.Should().Be(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal));
    }

    [Fact]
    public async Task Create_refuses_bad_input_and_a_scheduled_broadcast_waits()
    {
        var folder = TestHost.NewDataFolder();
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "Data Source=" + Path.Combine(folder, "ccbot.db"),
            ["Content:Root"] = RepoPaths.Root,
            ["Nlu:ModelFile"] = TestHost.SharedModelFile,
        };
        (await CliRoot.RunAsync(["broadcast", "create", "--text", "x", "--audience", "planet"], output: TextWriter.Null, overrides: overrides)).Should().Be(2);
        (await CliRoot.RunAsync(["broadcast", "create", "--text", "x", "--audience", "contest", "--value", "khong-co"], output: TextWriter.Null, overrides: overrides)).Should().Be(2);
        (await CliRoot.RunAsync(["broadcast", "create", "--text", "x", "--link", "không có url"], output: TextWriter.Null, overrides: overrides)).Should().Be(2);
        (await CliRoot.RunAsync(["broadcast", "create", "--text", "x", "--at", "hôm qua"], output: TextWriter.Null, overrides: overrides)).Should().Be(2);

        var output = new StringWriter();
        (await CliRoot.RunAsync(["broadcast", "create", "--text", "Lịch thi mới", "--audience", "unit", "--value", "Sở Nội vụ", "--at", "2099-01-15T08:00"], output: output, overrides: overrides)).Should().Be(0);
        output.ToString().Should().Contain("Broadcast 1 created: 0 recipients").And.Contain("2099-01-15 08:00");
        output = new StringWriter();
        (await CliRoot.RunAsync(["broadcast", "status", "1"], output: output, overrides: overrides)).Should().Be(0);
        output.ToString().Should().Contain("audience unit=Sở Nội vụ").And.Contain("recipients 0");
        (await CliRoot.RunAsync(["broadcast", "status", "42"], output: TextWriter.Null, overrides: overrides)).Should().Be(2);
        (await CliRoot.RunAsync(["broadcast", "cancel", "42"], output: TextWriter.Null, overrides: overrides)).Should().Be(2);
    }
}
