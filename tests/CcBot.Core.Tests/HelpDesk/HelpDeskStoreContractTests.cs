using CcBot.Core.HelpDesk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CcBot.Testing;

namespace CcBot.Core.Tests.HelpDesk;

public abstract class HelpDeskStoreContractTests(string provider) : InstanceContractTests(provider)
{
    protected override void Register(IServiceCollection services, IConfiguration configuration) => services.AddCcBotHelpDesk();

    protected static IHelpDeskStore Store(IServiceProvider instance) => instance.GetRequiredService<IHelpDeskStore>();

    /// <summary>An open escalation as the pipeline stores it; returns its id.</summary>
    protected static async Task<long> EscalateAsync(IServiceProvider instance, string conversationKey, string reason, string text, DateTimeOffset at, double? confidence = null) =>
        Convert.ToInt64(await ExecAsync(instance, """
            INSERT INTO escalations(conversation_key, channel, user_id, inbound_seq, reason, text, intent, confidence, contest_id, status, created_at)
            VALUES (@k, 'directline', @u, @seq, @reason, @text, @intent, @conf, @contest, 'open', @at) RETURNING id
            """,
            ("k", conversationKey), ("u", "u-" + conversationKey), ("seq", 7L), ("reason", reason), ("text", text),
            ("intent", confidence is null ? null : "rules"), ("conf", confidence), ("contest", reason == "dispute" ? "hai-duong-2024" : null), ("at", at)),
            System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_claimed_ticket_keeps_the_conversation_with_staff_until_it_is_resolved()
    {
        var instance = StartInstance();
        var store = Store(instance);
        var id = await EscalateAsync(instance, "directline:c1", "human", "Tôi cần gặp cán bộ", At(1));
        (await store.IsClaimedAsync("directline:c1", CancellationToken.None)).Should().BeFalse();

        (await store.ClaimAsync(id, "lan", At(2), CancellationToken.None)).Should().BeTrue();
        (await store.IsClaimedAsync("directline:c1", CancellationToken.None)).Should().BeTrue();
        (await store.ClaimAsync(id, "lan", At(3), CancellationToken.None)).Should().BeTrue("claiming one's own ticket again is fine");
        (await store.ClaimAsync(id, "minh", At(3), CancellationToken.None)).Should().BeFalse("another staff member holds it");

        var claimed = (await store.GetAsync(id, CancellationToken.None))!;
        claimed.ClaimedBy.Should().Be("lan");
        claimed.ClaimedAt.Should().Be(At(3));
        claimed.Status.Should().Be("open");

        (await store.ResolveAsync(id, "lan", At(4), CancellationToken.None)).Should().BeTrue();
        (await store.ResolveAsync(id, "lan", At(5), CancellationToken.None)).Should().BeFalse("already resolved");
        (await store.ClaimAsync(id, "lan", At(5), CancellationToken.None)).Should().BeFalse("resolved tickets cannot be claimed");
        (await store.IsClaimedAsync("directline:c1", CancellationToken.None)).Should().BeFalse();
        var resolved = (await store.GetAsync(id, CancellationToken.None))!;
        (resolved.Status, resolved.ResolvedBy, resolved.ResolvedAt).Should().Be(("resolved", "lan", At(4)));
        (await store.GetAsync(id + 1000, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task The_conversation_stays_with_staff_while_another_claimed_ticket_is_open()
    {
        var instance = StartInstance();
        var store = Store(instance);
        var first = await EscalateAsync(instance, "telegram:42", "human", "một", At(1));
        var second = await EscalateAsync(instance, "telegram:42", "dispute", "hai", At(2));
        await store.ClaimAsync(first, "lan", At(3), CancellationToken.None);
        await store.ClaimAsync(second, "lan", At(3), CancellationToken.None);
        await store.ResolveAsync(first, "lan", At(4), CancellationToken.None);
        (await store.IsClaimedAsync("telegram:42", CancellationToken.None)).Should().BeTrue();
        await store.ResolveAsync(second, "lan", At(5), CancellationToken.None);
        (await store.IsClaimedAsync("telegram:42", CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task Tickets_are_listed_open_oldest_first_and_closed_newest_first()
    {
        var instance = StartInstance();
        var store = Store(instance);
        var late = await EscalateAsync(instance, "directline:a", "human", "sau", At(9));
        var early = await EscalateAsync(instance, "directline:b", "low_confidence", "trước", At(1), confidence: 0.31);
        var dispute = await EscalateAsync(instance, "directline:c", "dispute", "khiếu nại", At(5));
        var done1 = await EscalateAsync(instance, "directline:d", "human", "xong 1", At(2));
        var done2 = await EscalateAsync(instance, "directline:e", "human", "xong 2", At(3));
        await store.ResolveAsync(done2, "lan", At(20), CancellationToken.None);
        await store.ResolveAsync(done1, "lan", At(30), CancellationToken.None);

        (await store.ListAsync(open: true, 10, CancellationToken.None)).Select(t => t.Id).Should().Equal(early, dispute, late);
        (await store.ListAsync(open: true, 2, CancellationToken.None)).Should().HaveCount(2);
        (await store.ListAsync(open: false, 10, CancellationToken.None)).Select(t => t.Id).Should().Equal(done1, done2);

        var t = (await store.GetAsync(early, CancellationToken.None))!;
        t.Should().Be(new Ticket(early, "directline:b", "directline", "u-directline:b", 7, "low_confidence", "trước", "rules", 0.31, null, "open", At(1), null, null, null, null));
        (await store.GetAsync(dispute, CancellationToken.None))!.ContestId.Should().Be("hai-duong-2024");
    }

    [Fact]
    public async Task The_misunderstood_inbox_holds_open_unclaimed_low_confidence_and_unhelpful_messages()
    {
        var instance = StartInstance();
        var store = Store(instance);
        var low = await EscalateAsync(instance, "directline:a", "low_confidence", "con mèo", At(1), confidence: 0.2);
        var unhelpful = await EscalateAsync(instance, "directline:b", "unhelpful", "không đúng", At(2));
        var claimed = await EscalateAsync(instance, "directline:c", "low_confidence", "đã nhận", At(3), confidence: 0.1);
        var resolved = await EscalateAsync(instance, "directline:d", "unhelpful", "đã xong", At(4));
        await EscalateAsync(instance, "directline:e", "human", "người thật", At(5));
        await store.ClaimAsync(claimed, "lan", At(6), CancellationToken.None);
        await store.ResolveAsync(resolved, "lan", At(6), CancellationToken.None);

        (await store.ListMisunderstoodAsync(10, CancellationToken.None)).Select(t => t.Id).Should().Equal(unhelpful, low);
        (await store.ListMisunderstoodAsync(1, CancellationToken.None)).Select(t => t.Id).Should().Equal(unhelpful);
    }

    [Fact]
    public async Task The_audit_log_reads_newest_first()
    {
        var store = Store(StartInstance());
        await store.AuditAsync("lan", "login", null, null, At(1), CancellationToken.None);
        await store.AuditAsync("lan", "ticket.reply", "ticket:4", "Bạn gửi lại bài nhé.", At(2), CancellationToken.None);
        (await store.ReadAuditAsync(10, CancellationToken.None)).Should().Equal(
            new AuditEntry(At(2), "lan", "ticket.reply", "ticket:4", "Bạn gửi lại bài nhé."),
            new AuditEntry(At(1), "lan", "login", null, null));
        (await store.ReadAuditAsync(1, CancellationToken.None)).Should().ContainSingle();
    }

    [Fact]
    public async Task Staff_faq_entries_and_examples_are_stored_with_ids_and_counted()
    {
        var store = Store(StartInstance());
        (await store.CountKnowledgeAsync(CancellationToken.None)).Should().Be((0L, 0L));
        var faq = await store.AddFaqAsync("mất điện thì sao", "Bạn đăng nhập lại.", "rules", "hai-duong-2024", 3, "lan", At(1), CancellationToken.None);
        var plain = await store.AddFaqAsync("máy tính bảng", "Dùng được.", null, null, null, "lan", At(2), CancellationToken.None);
        var examples = await store.AddExamplesAsync(["khi nào thi", "lịch thi ngày nào"], "schedule", "lan", At(3), CancellationToken.None);

        faq.FaqId.Should().Be("staff-" + faq.Id);
        store.ReadFaq().Should().Equal(faq, plain);
        examples.Select(e => (e.Text, e.Intent)).Should().Equal(("khi nào thi", "schedule"), ("lịch thi ngày nào", "schedule"));
        store.ReadExamples().Should().Equal(examples);
        (await store.CountKnowledgeAsync(CancellationToken.None)).Should().Be((2L, 2L));
        (await store.AddExamplesAsync([], "schedule", "lan", At(4), CancellationToken.None)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_ticket_is_claimed_by_one_staff_member_only()
    {
        var first = StartInstance();
        var second = StartInstance();
        var id = await EscalateAsync(first, "directline:race", "human", "ai nhận?", At(1));
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Store(i % 2 == 0 ? first : second).ClaimAsync(id, "staff" + i, At(2), CancellationToken.None))));
        claims.Count(c => c).Should().Be(1);
        var holder = (await Store(second).GetAsync(id, CancellationToken.None))!.ClaimedBy;
        claims.Select((won, i) => (won, i)).Single(c => c.won).i.Should().Be(int.Parse(holder!["staff".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class HelpDeskStoreOnSqlite() : HelpDeskStoreContractTests("sqlite");

public sealed class HelpDeskStoreOnPostgres() : HelpDeskStoreContractTests("postgres")
{
    [Fact]
    public async Task A_claim_or_resolve_on_one_instance_counts_at_once_on_another()
    {
        var console = StartInstance();
        var bot = StartInstance();
        var id = await EscalateAsync(console, "directline:multi", "human", "Tôi cần gặp cán bộ", At(1));
        (await Store(bot).IsClaimedAsync("directline:multi", CancellationToken.None)).Should().BeFalse();

        (await Store(console).ClaimAsync(id, "lan", At(2), CancellationToken.None)).Should().BeTrue();
        (await Store(bot).IsClaimedAsync("directline:multi", CancellationToken.None)).Should().BeTrue("the bot on the other instance keeps quiet");

        (await Store(bot).ResolveAsync(id, "lan", At(3), CancellationToken.None)).Should().BeTrue();
        (await Store(console).IsClaimedAsync("directline:multi", CancellationToken.None)).Should().BeFalse();
    }
}
