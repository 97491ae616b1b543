using System.Collections.Concurrent;
using CcBot.Core.HelpDesk;
using CcBot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CcBot.Testing;

namespace CcBot.Core.Tests.HelpDesk;

/// <summary>Console notifications reach the staff of every instance, whichever instance the change happened on.</summary>
public abstract class HelpDeskRelayContractTests(string provider) : InstanceContractTests(provider)
{
    protected override void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddCcBotHelpDesk();
        services.AddHelpDeskNotifier<RecordingNotifier>();
    }

    protected static async Task<(IHelpDeskNotifier Notifier, RecordingNotifier Console)> StartedAsync(IServiceProvider instance)
    {
        var listener = instance.GetRequiredService<HelpDeskRelayListener>();
        await listener.StartAsync(CancellationToken.None);
        if (instance.UsesPostgres())
        {
            await listener.Listening.WaitAsync(TimeSpan.FromSeconds(10));
        }

        return (instance.GetRequiredService<IHelpDeskNotifier>(), instance.GetRequiredService<RecordingNotifier>());
    }

    [Fact]
    public async Task Changes_reach_this_instances_console()
    {
        var (notifier, console) = await StartedAsync(StartInstance());
        await notifier.ConversationChangedAsync("directline:c1", CancellationToken.None);
        await notifier.QueueChangedAsync(CancellationToken.None);
        await console.WaitForAsync("conversation:directline:c1", "queue");
    }

    public sealed class RecordingNotifier : IHelpDeskNotifier
    {
        private readonly ConcurrentQueue<string> _events = new();

        public Task ConversationChangedAsync(string conversationKey, CancellationToken cancellationToken)
        {
            _events.Enqueue("conversation:" + conversationKey);
            return Task.CompletedTask;
        }

        public Task QueueChangedAsync(CancellationToken cancellationToken)
        {
            _events.Enqueue("queue");
            return Task.CompletedTask;
        }

        public async Task WaitForAsync(params string[] expected)
        {
            for (var waited = 0; waited < 100 && !expected.All(_events.Contains); waited++)
            {
                await Task.Delay(50);
            }

            _events.Should().Contain(expected);
        }

        public IReadOnlyList<string> Events => [.. _events];
    }
}

public sealed class HelpDeskRelayOnSqlite() : HelpDeskRelayContractTests("sqlite")
{
    [Fact]
    public void The_console_notifier_is_used_directly()
    {
        var instance = StartInstance();
        instance.GetRequiredService<IHelpDeskNotifier>().Should().BeSameAs(instance.GetRequiredService<RecordingNotifier>());
    }
}

public sealed class HelpDeskRelayOnPostgres() : HelpDeskRelayContractTests("postgres")
{
    [Fact]
    public async Task A_change_on_one_instance_reaches_the_console_of_every_instance()
    {
        var bot = StartInstance();
        var console = StartInstance();
        var (botNotifier, botConsole) = await StartedAsync(bot);
        var (_, staffConsole) = await StartedAsync(console);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stream = console.GetRequiredService<Core.Pipeline.OutboundNotifier>().Subscribe("telegram:42", () => woken.TrySetResult());

        await botNotifier.ConversationChangedAsync("telegram:42", CancellationToken.None);
        await botNotifier.QueueChangedAsync(CancellationToken.None);

        await woken.Task.WaitAsync(TimeSpan.FromSeconds(10)); // a Direct Line stream held by the other instance wakes at once
        await staffConsole.WaitForAsync("conversation:telegram:42", "queue");
        await botConsole.WaitForAsync("conversation:telegram:42", "queue");
        staffConsole.Events.Count(e => e == "queue").Should().Be(1, "each change is passed on once");
    }
}
