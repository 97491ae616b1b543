using System.Diagnostics;
using CcBot.Core.Channels.BotFramework;

namespace CcBot.Host.Tests.BotFramework;

public sealed class ConnectorRateLimiterTests
{
    [Fact]
    public async Task Eighth_message_to_one_conversation_waits_for_the_one_second_window_and_others_do_not()
    {
        var limiter = new ConnectorRateLimiter(TimeProvider.System);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 7; i++)
        {
            await limiter.WaitTurnAsync("msteams:a", CancellationToken.None);
        }

        sw.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(500), "seven per second pass at once");
        await limiter.WaitTurnAsync("msteams:b", CancellationToken.None);
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(500), "another conversation has its own budget");

        await limiter.WaitTurnAsync("msteams:a", CancellationToken.None);
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(990), "the eighth waits until the first leaves the window");
        limiter.TrackedConversations.Should().Be(2);
    }

    [Fact]
    public async Task Waiting_can_be_cancelled()
    {
        var limiter = new ConnectorRateLimiter(TimeProvider.System);
        for (var i = 0; i < 7; i++)
        {
            await limiter.WaitTurnAsync("msteams:a", CancellationToken.None);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var act = () => limiter.WaitTurnAsync("msteams:a", cts.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
