using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Tests.Pipeline;

/// <summary>The console's list of replies given up: one query for both databases, the same test on each.</summary>
public abstract class FailedRepliesTests(string provider) : InstanceContractTests(provider)
{
    protected override void Register(IServiceCollection services, IConfiguration configuration)
    {
    }

    [Fact]
    public async Task Only_replies_given_up_are_listed_newest_first_with_their_error()
    {
        var sp = StartInstance();
        var store = sp.GetRequiredService<IConversationStore>();
        var at = new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
        var to = new ConversationReference("telegram", "42", "42", "Lan");

        var sent = await store.AppendOutboundAsync(to, OutboundMessage.Plain("đã gửi"), at, default);
        await store.MarkOutboundAsync(sent.Seq, SendOutcome.Ok("m1"), at, default);
        var first = await store.AppendOutboundAsync(to, OutboundMessage.Plain("lần một"), at.AddMinutes(1), default);
        await store.MarkOutboundAsync(first.Seq, new SendOutcome(SendStatus.Failed, Error: "gave up after 8 attempts: 502"), at, default);
        var second = await store.AppendOutboundAsync(to, OutboundMessage.Plain("lần hai"), at.AddMinutes(2), default);
        await store.MarkOutboundAsync(second.Seq, new SendOutcome(SendStatus.Failed, Error: "400 Bad Request"), at, default);

        var list = await sp.GetRequiredService<FailedReplies>().ListAsync(10, default);

        list.Select(r => r.Text).Should().Equal("lần hai", "lần một");
        list[1].Should().BeEquivalentTo(new { ConversationKey = "telegram:42", Channel = "telegram", Error = "gave up after 8 attempts: 502", At = at.AddMinutes(1) },
            o => o.ExcludingMissingMembers());
        (await sp.GetRequiredService<FailedReplies>().ListAsync(1, default)).Should().ContainSingle();
    }
}

public sealed class FailedRepliesOnSqlite() : FailedRepliesTests("sqlite");

public sealed class FailedRepliesOnPostgres() : FailedRepliesTests("postgres");
