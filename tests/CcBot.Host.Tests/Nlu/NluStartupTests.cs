using CcBot.Core.Nlu;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CcBot.Host.Tests.Nlu;

/// <summary>The classifier loads at start in a hosted service; a failure does not stick and does not stop the bot.</summary>
public sealed class NluStartupTests
{
    [Fact]
    public async Task The_host_serves_before_the_classifier_is_loaded_and_a_message_sent_meanwhile_waits_for_it()
    {
        // No background load: the test decides when the classifier's first load happens.
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["DirectLine:PostWaitSeconds"] = "0" },
            configure: b => b.Services.Remove(b.Services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(NluStartup))),
            waitForClassifier: false);
        var holder = host.Services.GetRequiredService<NluEngineHolder>();
        holder.Loaded.Should().BeNull();
        (await host.Http.GetAsync("healthz")).IsSuccessStatusCode.Should().BeTrue("the host serves while the classifier is not loaded");
        ((int)(await host.Http.GetAsync("readyz")).StatusCode).Should().Be(503, "not ready until the classifier is loaded");

        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync("hai-duong-2024");
        await FakeBotApiWait(async () => (await dl.GetBotMessagesAsync()).Count > 0, "the welcome needs no classifier");
        await dl.SendAsync("cho mình hỏi ai được tham gia cuộc thi này");
        await Task.Delay(1500);
        (await dl.GetBotMessagesAsync()).Should().BeEmpty("the question waits for the classifier instead of being answered by keywords");

        (await host.Services.GetRequiredService<NluEngineLoader>().LoadAsync(CancellationToken.None)).Should().BeTrue();
        await FakeBotApiWait(async () => (await dl.GetBotMessagesAsync()).Count > 0, "the question is answered once the classifier is loaded");
        ((int)(await host.Http.GetAsync("readyz")).StatusCode).Should().Be(200);
    }

    [Fact]
    public async Task Understanding_is_ready_once_the_first_load_attempt_is_over_whatever_its_outcome()
    {
        var holder = new NluEngineHolder();
        var understanding = new NluLanguageUnderstanding(holder, new KeywordUnderstanding(), Microsoft.Extensions.Options.Options.Create(new NluOptions()));
        var ready = understanding.WhenReadyAsync(CancellationToken.None);
        ready.IsCompleted.Should().BeFalse("nothing was attempted yet");
        holder.MarkAttempted();
        await ready.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        understanding.WhenReadyAsync(CancellationToken.None).IsCompleted.Should().BeTrue();
    }

    private static Task FakeBotApiWait(Func<Task<bool>> condition, string because) =>
        CcBot.Host.Tests.Telegram.FakeBotApi.WaitUntilAsync(condition, 30, because);

    [Fact]
    public async Task A_model_that_cannot_load_at_start_leaves_the_bot_on_keywords_and_is_tried_again()
    {
        var folder = TestHost.NewDataFolder();
        var blocker = Path.Combine(folder, "models");
        await File.WriteAllTextAsync(blocker, "a file where the model folder should be");
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Nlu:ModelFile"] = Path.Combine(blocker, "nlu-model.zip"),
            ["Nlu:RetrySeconds"] = "1",
        }, folder);
        var holder = host.Services.GetRequiredService<NluEngineHolder>();
        var understanding = host.Services.GetRequiredService<ILanguageUnderstanding>();

        holder.Loaded.Should().BeNull("the model folder cannot be created");
        var fallback = understanding.Understand("cho mình xem thể lệ");
        fallback.Should().BeEquivalentTo(new { Kind = UnderstandingKind.Intent, Intent = "rules", Confidence = 0.5 }, o => o.ExcludingMissingMembers());
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync("hai-duong-2024");
        await dl.GetActivitiesAsync();
        (await dl.AskAsync("cho mình xem thể lệ")).Should().NotContain("gặp sự cố khi xử lý", "the bot answers by keywords meanwhile");

        File.Delete(blocker);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (holder.Loaded is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        holder.Loaded.Should().NotBeNull("the next attempt, once the folder can be created, trains and loads the model");
        understanding.Understand("cho mình xem thể lệ").Confidence.Should().NotBe(0.5, "the classifier answers now");
        File.Exists(Path.Combine(blocker, "nlu-model.zip")).Should().BeTrue();
    }
}
