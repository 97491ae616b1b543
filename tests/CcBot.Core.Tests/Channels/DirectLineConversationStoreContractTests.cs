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
    public async Task Conversations_opened_but_never_written_in_are_removed_with_their_greeting_after_the_cutoff()
    {
        var instance = StartInstance();
        var store = Store(instance);
        var inbox = instance.GetRequiredService<CcBot.Core.Pipeline.IConversationStore>();
        async Task OpenAsync(string id, DateTimeOffset at, params CcBot.Core.Activities.ActivityKind[] kinds)
        {
            await store.CreateAsync(new DirectLineConversation(id, "dl_" + id, null, at, false), CancellationToken.None);
            var from = new CcBot.Core.Activities.ConversationReference("directline", id, "dl_" + id);
            var n = 0;
            foreach (var kind in kinds)
            {
                await inbox.AcceptInboundAsync(new CcBot.Core.Activities.InboundActivity
                {
                    Channel = "directline", Id = id + "|" + n++, Kind = kind, From = from, Text = kind == CcBot.Core.Activities.ActivityKind.Message ? "xin chào" : null, Timestamp = at,
                }, CancellationToken.None);
            }

            await inbox.AppendOutboundAsync(from, CcBot.Core.Activities.OutboundMessage.Plain("Xin chào!"), at, CancellationToken.None, delivered: true);
            await ExecAsync(instance, """
                INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, created_at, updated_at)
                VALUES (@key, 'directline', @id, @user, '{}', @at, @at)
                """, ("key", "directline:" + id), ("id", id), ("user", "dl_" + id), ("at", at));
        }

        await OpenAsync("idle", At(1), CcBot.Core.Activities.ActivityKind.ConversationStarted, CcBot.Core.Activities.ActivityKind.Event);
        await OpenAsync("talked", At(2), CcBot.Core.Activities.ActivityKind.ConversationStarted, CcBot.Core.Activities.ActivityKind.Message);
        await OpenAsync("recent", At(30), CcBot.Core.Activities.ActivityKind.ConversationStarted);

        var removed = await instance.GetRequiredService<DirectLineExpiry>().RemoveAbandonedAsync(At(10), CancellationToken.None);

        removed.Should().Be(1);
        (await store.GetAsync("idle", CancellationToken.None)).Should().BeNull();
        (await store.GetAsync("talked", CancellationToken.None)).Should().NotBeNull("the user wrote in it");
        (await store.GetAsync("recent", CancellationToken.None)).Should().NotBeNull("opened after the cutoff");
        Convert.ToInt64(await ExecAsync(instance, "SELECT COUNT(*) FROM transcript WHERE conversation_key = 'directline:idle'")).Should().Be(0);
        Convert.ToInt64(await ExecAsync(instance, "SELECT COUNT(*) FROM conversations WHERE conversation_key = 'directline:idle'")).Should().Be(0);
        Convert.ToInt64(await ExecAsync(instance, "SELECT COUNT(*) FROM transcript WHERE conversation_key = 'directline:talked'")).Should().Be(3);
        Convert.ToInt64(await ExecAsync(instance, "SELECT COUNT(*) FROM conversations WHERE conversation_key IN ('directline:talked', 'directline:recent')")).Should().Be(2);
        (await instance.GetRequiredService<DirectLineExpiry>().RemoveAbandonedAsync(At(10), CancellationToken.None)).Should().Be(0);
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
