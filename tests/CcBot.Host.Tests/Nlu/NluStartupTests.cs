using CcBot.Core.Nlu;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Nlu;

/// <summary>The classifier loads at start in a hosted service; a failure does not stick and does not stop the bot.</summary>
public sealed class NluStartupTests
{
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
