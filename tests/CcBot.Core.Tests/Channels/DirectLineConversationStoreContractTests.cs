using CcBot.Core.Channels.DirectLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CcBot.Testing;

namespace CcBot.Core.Tests.Channels;

public abstract class DirectLineConversationStoreContractTests(string provider) : InstanceContractTests(provider)
{
    protected override void Register(IServiceCollection services, IConfiguration configuration) => services.AddDirectLine(configuration);

    private static IDirectLineConversationStore Store(IServiceProvider instance) => instance.GetRequiredService<IDirectLineConversationStore>();

    [Fact]
    public async Task A_conversation_is_stored_with_its_user_and_start_payload()
    {
        var store = Store(StartInstance());
        await store.CreateAsync(new DirectLineConversation("c1", "dl_u1", "contest:hai-duong-2024", At(1), false), CancellationToken.None);
        await store.CreateAsync(new DirectLineConversation("c2", "dl_u2", null, At(2), false), CancellationToken.None);

        (await store.GetAsync("c1", CancellationToken.None)).Should().Be(new DirectLineConversation("c1", "dl_u1", "contest:hai-duong-2024", At(1), false));
        (await store.GetAsync("c2", CancellationToken.None)).Should().Be(new DirectLineConversation("c2", "dl_u2", null, At(2), false));
        (await store.GetAsync("missing", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Only_the_first_start_counts()
    {
        var store = Store(StartInstance());
        await store.CreateAsync(new DirectLineConversation("c1", "dl_u1", null, At(1), false), CancellationToken.None);
        (await store.MarkStartedAsync("c1", CancellationToken.None)).Should().BeTrue();
        (await store.MarkStartedAsync("c1", CancellationToken.None)).Should().BeFalse();
        (await store.MarkStartedAsync("missing", CancellationToken.None)).Should().BeFalse();
        (await store.GetAsync("c1", CancellationToken.None))!.Started.Should().BeTrue();
    }

    [Fact]
    public async Task A_conversation_created_on_one_instance_is_served_and_started_once_across_instances()
    {
        var first = Store(StartInstance());
        var second = Store(StartInstance());
        await first.CreateAsync(new DirectLineConversation("shared", "dl_u1", "start", At(3), false), CancellationToken.None);
        (await second.GetAsync("shared", CancellationToken.None))!.UserId.Should().Be("dl_u1");

        var starts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).MarkStartedAsync("shared", CancellationToken.None))));
        starts.Count(s => s).Should().Be(1, "the welcome is sent by exactly one instance");
        (await first.GetAsync("shared", CancellationToken.None))!.Started.Should().BeTrue();
    }
}

public sealed class DirectLineConversationStoreOnSqlite() : DirectLineConversationStoreContractTests("sqlite");

public sealed class DirectLineConversationStoreOnPostgres() : DirectLineConversationStoreContractTests("postgres");
