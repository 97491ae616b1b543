using System.Net;
using CcBot.Core.Activities;
using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.DirectLine;

/// <summary>
/// The default (<c>DirectLine:PostWaitSeconds=0</c>): a conversation starts and a POST is answered once the activity is
/// stored, while the turn is still running; the reply follows, naming the message in <c>replyToId</c>.
/// </summary>
public sealed class DirectLineAckOnStoreTests
{
    [Fact]
    public async Task Start_and_post_are_answered_on_store_while_their_turns_are_still_held_and_the_replies_follow()
    {
        var welcome = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["DirectLine:PostWaitSeconds"] = "0" },
            configure: b => b.Services.AddSingleton<ITurnHandler>(sp => new GatedHandler(ActivatorUtilities.CreateInstance<Router>(sp), welcome.Task, slow.Task)));

        var chat = new DirectLineClient(host.Http);
        var start = chat.StartAsync();
        (await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(5)))).Should().BeSameAs(start, "the conversation starts without waiting for the welcome turn");
        await start;
        (await chat.GetBotMessagesAsync()).Should().BeEmpty("the welcome turn is still held");
        welcome.SetResult();
        await FakeBotApi.WaitUntilAsync(async () => (await chat.GetBotMessagesAsync()).Count > 0, 30, "the welcome follows");

        var post = chat.SendAsync("thể lệ cuộc thi #chậm");
        (await Task.WhenAny(post, Task.Delay(TimeSpan.FromSeconds(5)))).Should().BeSameAs(post, "the POST is answered once the message is stored");
        var id = await post;
        TelegramTestSupport.Count(host.DatabasePath, "SELECT COUNT(*) FROM transcript WHERE inbound = 1 AND channel = 'directline' AND status = 'pending'")
            .Should().Be(1, "the message is stored before the answer, its turn not yet run");
        (await chat.GetBotMessagesAsync()).Should().BeEmpty("the turn is still held");

        slow.SetResult();
        var replies = new List<System.Text.Json.Nodes.JsonObject>();
        await FakeBotApi.WaitUntilAsync(async () =>
        {
            replies.AddRange(await chat.GetBotMessagesAsync());
            return replies.Count > 0;
        }, 30, "the reply follows");
        await Task.Delay(300);
        replies.AddRange(await chat.GetBotMessagesAsync());
        replies.Should().NotBeEmpty().And.OnlyContain(r => r["replyToId"]!.GetValue<string>() == id);
        replies.Select(r => r["id"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();
    }

    /// <summary>Holds the welcome turn and turns whose text contains "#chậm" until released.</summary>
    private sealed class GatedHandler(ITurnHandler inner, Task welcome, Task slow) : ITurnHandler
    {
        public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            if (turn.Activity.Kind == ActivityKind.ConversationStarted)
            {
                await welcome.WaitAsync(cancellationToken);
            }
            else if (turn.Activity.Text?.Contains("#chậm", StringComparison.Ordinal) == true)
            {
                await slow.WaitAsync(cancellationToken);
            }

            await inner.HandleAsync(turn, cancellationToken);
        }
    }
}
