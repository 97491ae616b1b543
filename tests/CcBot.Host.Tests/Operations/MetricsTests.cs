using System.Net;
using System.Text.RegularExpressions;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Operations;

/// <summary>
/// The <c>CcBot</c> meter scraped at <c>/metrics</c> (Prometheus' text format) after a web-chat conversation. OpenTelemetry
/// listens to every meter of that name in the process, so these tests run alone (another host's turns would count too).
/// </summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed partial class MetricsTests
{
    /// <summary>The value of a sample whose name and labels match (labels in any order, others allowed).</summary>
    private static double Sample(string scrape, string name, params string[] labels)
    {
        foreach (var line in scrape.Split('\n'))
        {
            var m = SampleLine().Match(line);
            if (m.Success && m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"No sample {name} {{{string.Join(",", labels)}}} in:\n{scrape}");
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][\w:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>[-+.\deE]+|NaN)")]
    private static partial Regex SampleLine();

    [Fact]
    public async Task Counters_and_the_turn_histogram_count_a_web_chat_conversation()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true" });
        var chat = new DirectLineClient(host.Http);
        await chat.StartAsync("hai-duong-2024");
        await chat.AskAsync("hạn báo cáo hải dương");
        await chat.AskAsync("xin chao");
        await chat.AskAsync("thời tiết hôm nay thế nào");
        await Console.HelpDeskTestData.AskForHumanAsync(chat, "Tôi cần hỏi về giấy chứng nhận");

        string scrape = "";
        await Telegram.FakeBotApi.WaitUntilAsync(async () =>
        {
            // The exporter caches a scrape briefly: ask until the last turn shows.
            scrape = await host.Http.GetStringAsync("metrics");
            return scrape.Contains("ccbot_turn_duration_seconds_count", StringComparison.Ordinal)
                   && Sample(scrape, "ccbot_turn_duration_seconds_count", "channel=\"directline\"", "outcome=\"ok\"") >= 7;
        }, 30, "the seven turns are counted");

        // The start, three questions, and the three steps of asking for a human (button, question, skip).
        Sample(scrape, "ccbot_activity_received_total", "channel=\"directline\"").Should().Be(7);
        Sample(scrape, "ccbot_turn_duration_seconds_count", "channel=\"directline\"", "outcome=\"ok\"").Should().Be(7);
        Sample(scrape, "ccbot_turn_duration_seconds_bucket", "channel=\"directline\"", "le=\"+Inf\"").Should().Be(7);
        Sample(scrape, "ccbot_escalation_created_total", "channel=\"directline\"").Should().Be(1);
        Sample(scrape, "ccbot_turn_duration_seconds_sum", "channel=\"directline\"").Should().BeGreaterThan(0);
        Sample(scrape, "ccbot_nlu_route_total", "route=\"facts\"").Should().Be(1, "the deadline question was answered from the facts");
        (Sample(scrape, "ccbot_nlu_route_total", "route=\"intent\"") + Sample(scrape, "ccbot_nlu_route_total", "route=\"out_of_scope\"")
            + RouteOrZero(scrape, "unsure")).Should().Be(2);
        scrape.Should().NotContain("hạn báo cáo").And.NotContain(chat.UserId, "no text or user in the figures");

        // The dashboard plots only what the meter exports (reply sends are not made for web chat, which delivers by storing).
        var dashboard = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "grafana", "ccbot.json"));
        var plotted = Regex.Matches(dashboard, @"ccbot_[a-z_]+").Select(m => m.Value).Distinct().ToList();
        plotted.Should().NotBeEmpty();
        plotted.Where(name => name != "ccbot_reply_send_total" && !Gauges.Contains(name)).Should().OnlyContain(name => scrape.Contains("\n" + name, StringComparison.Ordinal));
        System.Text.Json.Nodes.JsonNode.Parse(dashboard)!["panels"]!.AsArray().Should().HaveCountGreaterThanOrEqualTo(5);
    }

    /// <summary>Series read from the database by the gauge sampler: checked by the gauge test, where the sampler runs every second.</summary>
    private static readonly string[] Gauges =
        ["ccbot_reply_unsent", "ccbot_outbox_backlog", "ccbot_reply_oldest_unsent_age_seconds", "ccbot_outbox_oldest_wait_seconds", "ccbot_escalation_open", "ccbot_broadcast_messages"];

    private static double RouteOrZero(string scrape, string route)
    {
        try
        {
            return Sample(scrape, "ccbot_nlu_route_total", $"route=\"{route}\"");
        }
        catch (Xunit.Sdk.XunitException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task Without_configuration_there_is_no_metrics_endpoint()
    {
        await using var host = await TestHost.StartAsync();
        (await host.Http.GetAsync("metrics")).StatusCode.Should().NotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Gauges_report_the_outbox_backlog_unsent_replies_open_escalations_and_broadcast_progress()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Metrics:Prometheus"] = "true",
            ["Metrics:GaugeIntervalSeconds"] = "1",
            ["Reminders:Enabled"] = "false",
        });
        var chat = new DirectLineClient(host.Http);
        await chat.StartAsync();
        await Console.HelpDeskTestData.AskForHumanAsync(chat, "Tôi cần hỏi về giấy chứng nhận");

        // A reminder due ten minutes ago on a channel that is off, and a broadcast half sent.
        var due = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, source, status) in new[] { ("g-1", "reminder", "pending"), ("g-2", "broadcast", "sent"), ("g-3", "broadcast", "sent"), ("g-4", "broadcast", "failed") })
        {
            Telegram.TelegramTestSupport.Count(host.DatabasePath, $"""
                INSERT INTO outbox(dedupe_key, source, source_id, channel, conversation_key, reference, message, status, not_before, created_at)
                VALUES ('{key}', '{source}', 'x', 'telegram', 'telegram:1', '{"{}"}', '{"{}"}', '{status}', '{due}', '{due}') RETURNING id
                """);
        }

        string scrape = "";
        await Telegram.FakeBotApi.WaitUntilAsync(async () =>
        {
            scrape = await host.Http.GetStringAsync("metrics");
            return scrape.Contains("ccbot_outbox_backlog{", StringComparison.Ordinal) && scrape.Contains("ccbot_broadcast_messages{", StringComparison.Ordinal);
        }, 30, "the sampler has run after the rows were written");

        Sample(scrape, "ccbot_outbox_backlog", "source=\"reminder\"").Should().Be(1);
        Sample(scrape, "ccbot_outbox_oldest_wait_seconds").Should().BeInRange(590, 900);
        Sample(scrape, "ccbot_escalation_open").Should().Be(1);
        Sample(scrape, "ccbot_broadcast_messages", "status=\"sent\"").Should().Be(2);
        Sample(scrape, "ccbot_broadcast_messages", "status=\"failed\"").Should().Be(1);
        Sample(scrape, "ccbot_reply_unsent").Should().Be(0, "web-chat replies are delivered by storing them");
        Sample(scrape, "ccbot_reply_oldest_unsent_age_seconds").Should().Be(0);

        // Every gauge the dashboard plots is exported.
        var dashboard = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "grafana", "ccbot.json"));
        Gauges.Should().OnlyContain(g => dashboard.Contains(g, StringComparison.Ordinal));
        Gauges.Should().OnlyContain(g => scrape.Contains("\n" + g, StringComparison.Ordinal));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTelemetry
{
    public const string Name = "Process-wide telemetry";

}
