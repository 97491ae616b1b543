using System.Text;
using System.Text.Json.Nodes;
using CcBot.Core.Activities;
using CcBot.Core.Channels.BotFramework;

namespace CcBot.Host.Tests.BotFramework;

/// <summary>Wire mapping without a host.</summary>
public sealed class BotFrameworkWireTests
{
    private static readonly DateTimeOffset Now = new(2024, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static JsonObject Activity(string type) => new()
    {
        ["type"] = type,
        ["id"] = "1700000000001",
        ["channelId"] = "msteams",
        ["serviceUrl"] = "https://smba.trafficmanager.net/amer/",
        ["from"] = new JsonObject { ["id"] = "29:user", ["name"] = "An" },
        ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "CcBot" },
        ["conversation"] = new JsonObject { ["id"] = "19:x@thread.v2", ["conversationType"] = "groupChat" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-9" } },
    };

    [Theory]
    [InlineData("<at>CcBot</at> /help", "/help")]
    [InlineData("<at id=\"28:bot\">CcBot</at>&nbsp;lịch thi  hải dương", "lịch thi hải dương")]
    [InlineData("hỏi <at>Bot A</at> và <at>Bot B</at> nhé", "hỏi và nhé")]
    [InlineData("  không nhắc ai  ", "không nhắc ai")]
    public void Mentions_are_stripped(string text, string expected) => BotFrameworkWire.StripMentions(text).Should().Be(expected);

    [Fact]
    public void Group_message_maps_reference_with_tenant_from_channel_data()
    {
        var json = Activity("message");
        json["text"] = "<at>CcBot</at> /menu";
        var (activity, disposition) = BotFrameworkWire.FromWire(json, json.ToJsonString(), Now);

        disposition.Should().Be(BotFrameworkDisposition.Turn);
        activity!.Kind.Should().Be(ActivityKind.Message);
        activity.Text.Should().Be("/menu");
        activity.Id.Should().Be("1700000000001");
        activity.From.Should().Be(new ConversationReference("msteams", "19:x@thread.v2", "29:user", "An", "https://smba.trafficmanager.net/amer/", "tenant-9", "28:bot", "CcBot", true));
    }

    [Theory]
    [InlineData("\"rules\"", "rules")]
    [InlineData("{\"action\":\"schedule\",\"extra\":1}", "schedule")]
    public void Card_submit_value_is_a_button_click(string valueJson, string payload)
    {
        var json = Activity("message");
        json["value"] = JsonNode.Parse(valueJson);
        var (activity, _) = BotFrameworkWire.FromWire(json, json.ToJsonString(), Now);
        activity!.Kind.Should().Be(ActivityKind.ButtonClick);
        activity.Value.Should().Be(payload);
    }

    [Theory]
    [InlineData("messageUpdate")]
    [InlineData("messageDelete")]
    [InlineData("typing")]
    [InlineData("messageReaction")]
    [InlineData("installationUpdate")]
    [InlineData("somethingNew")]
    public void Other_activity_types_are_ignored(string type)
    {
        var json = Activity(type);
        BotFrameworkWire.FromWire(json, json.ToJsonString(), Now).Disposition.Should().Be(BotFrameworkDisposition.Ignore);
    }

    [Fact]
    public void Conversation_update_greets_only_when_the_bot_was_added()
    {
        var json = Activity("conversationUpdate");
        json["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "29:someone-else" });
        BotFrameworkWire.FromWire(json, json.ToJsonString(), Now).Disposition.Should().Be(BotFrameworkDisposition.Ignore);

        json["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:bot" });
        var (activity, disposition) = BotFrameworkWire.FromWire(json, json.ToJsonString(), Now);
        disposition.Should().Be(BotFrameworkDisposition.Turn);
        activity!.Kind.Should().Be(ActivityKind.ConversationStarted);
    }

    [Fact]
    public void Activity_without_id_gets_a_stable_dedupe_id()
    {
        var json = Activity("message");
        json.Remove("id");
        json["text"] = "/help";
        var raw = json.ToJsonString();
        BotFrameworkWire.FromWire(json, raw, Now).Activity!.Id.Should().Be(BotFrameworkWire.FromWire(json, raw, Now).Activity!.Id);
    }

    [Fact]
    public void Activities_uri_escapes_teams_ids_and_joins_with_one_slash()
    {
        ConnectorClient.ActivitiesUri("https://smba.trafficmanager.net/amer/", "19:abc@thread.tacv2;messageid=17", null).AbsoluteUri
            .Should().Be("https://smba.trafficmanager.net/amer/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D17/activities");
        ConnectorClient.ActivitiesUri("https://smba.trafficmanager.net/amer", "a:1", "1:2").AbsoluteUri
            .Should().Be("https://smba.trafficmanager.net/amer/v3/conversations/a%3A1/activities/1%3A2");
    }

    [Fact]
    public void Oversized_reply_is_cut_to_the_teams_limit_and_keeps_its_buttons()
    {
        var to = new ConversationReference("msteams", "a:1", "29:u", "An", "https://smba.trafficmanager.net/amer/", "t", "28:bot", "CcBot");
        var message = new OutboundMessage
        {
            Text = string.Concat(Enumerable.Repeat("Thể lệ cuộc thi cải cách hành chính. ", 2000)),
            Buttons = [ReplyButton.Action("Menu chính", "menu")],
        };

        var wire = BotFrameworkWire.ToWire(to, message);

        Encoding.UTF8.GetByteCount(BotFrameworkWire.Serialize(wire)).Should().BeLessThanOrEqualTo(BotFrameworkWire.MaxActivityBytes);
        wire["text"]!.GetValue<string>().Should().EndWith("…");
        wire["attachments"]![0]!["content"]!["actions"]![0]!["data"]!["action"]!.GetValue<string>().Should().Be("menu");
    }

    [Fact]
    public void Light_markup_becomes_teams_markdown()
    {
        BotFrameworkWire.ToMarkdown("**Thời gian:**\nTừ 8h\r\nĐến 17h").Should().Be("**Thời gian:**\n\nTừ 8h\n\nĐến 17h");
    }
}
