using System.Net;
using CcBot.Core.Activities;
using CcBot.Core.Channels.Zalo;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Tests.Zalo;

public sealed class ZaloSetupTests
{
    [Theory]
    [InlineData("Zalo:AppId", "abc", "Zalo:AppId")]
    [InlineData("Zalo:OaSecretKey", "", "Zalo:OaSecretKey")]
    [InlineData("Zalo:AppSecret", "", "Zalo:AppSecret")]
    [InlineData("Zalo:ApiBaseUrl", "openapi.zalo.me", "Zalo:ApiBaseUrl")]
    [InlineData("Zalo:RefreshToken", "", "Zalo:RefreshToken")]
    public async Task A_wrong_setting_stops_start_up_naming_the_key(string key, string value, string named)
    {
        await using var fake = await FakeZaloApi.StartAsync();
        var settings = ZaloTestSupport.Settings(fake);
        settings[key] = value;
        var act = () => TestHost.StartAsync(settings);
        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(named);
    }

    [Fact]
    public async Task Without_an_app_id_the_channel_is_off_and_the_webhook_is_closed()
    {
        await using var host = await TestHost.StartAsync();
        (await ZaloTestSupport.PostAsync(host.Http, ZaloTestSupport.TextEvent("1", "x", "hi", DateTimeOffset.UtcNow))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_refused_refresh_token_stops_the_channel_with_a_message_naming_what_to_do()
    {
        await using var fake = await FakeZaloApi.StartAsync(refreshToken: "refresh-that-zalo-no-longer-knows");
        await using var host = await TestHost.StartAsync(ZaloTestSupport.Settings(fake));
        fake.ExpireAccessToken();
        var user = "8215000000000000009";
        (await ZaloTestSupport.PostAsync(host.Http, ZaloTestSupport.TextEvent(user, "s1", "xin chào", DateTimeOffset.UtcNow))).StatusCode.Should().Be(HttpStatusCode.OK);
        var tokens = host.Services.GetRequiredService<ZaloTokens>();
        await FakeBotApi.WaitUntilAsync(() => tokens.StoppedReason is not null, 30, "the channel stops");
        tokens.StoppedReason.Should().Contain("Zalo:AccessToken").And.Contain("Zalo:RefreshToken").And.Contain("-14014");
        fake.SentTo(user).Should().BeEmpty();
        fake.RefusedRefreshes.Should().Be(1, "a refused refresh token is not tried again and again");
    }

    [Fact]
    public void Long_replies_are_split_under_2000_characters_and_more_than_five_buttons_go_in_further_messages()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("Thể lệ cuộc thi tìm hiểu cải cách hành chính.", 20));
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 6)) + "\n\n**Hạn cuối**: 17 giờ 00 ngày 30/9/2024.";
        var buttons = Enumerable.Range(1, 7).Select(i => ReplyButton.Action($"Lựa chọn {i}", $"v{i}")).Append(ReplyButton.Link("Trang cuộc thi", "https://example.gov.vn/thi")).ToList();
        var bodies = ZaloRendering.Render("42", new OutboundMessage { Text = text, Buttons = buttons });
        var texts = bodies.Select(b => b["message"]!["text"]!.GetValue<string>()).ToList();
        texts.Should().OnlyContain(t => t.Length <= ZaloRendering.MaxTextLength && t.Length > 0);
        string.Join("", texts.Where(t => t != ZaloRendering.MoreChoices)).Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)
            .Should().Be(text.Replace("**", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal), "nothing is lost or reordered");
        var sentButtons = bodies.Select(b => b["message"]!["attachment"]?["payload"]?["buttons"]?.AsArray().Count ?? 0).ToList();
        sentButtons.Sum().Should().Be(8);
        sentButtons.Should().OnlyContain(n => n <= ZaloRendering.MaxButtons);
        texts[^1].Should().Be(ZaloRendering.MoreChoices);
        bodies.Should().OnlyContain(b => b["recipient"]!["user_id"]!.GetValue<string>() == "42");
    }
}
