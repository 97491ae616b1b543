using CcBot.Core.HelpDesk;
using CcBot.Core.Nlu;
using CcBot.Nlu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CcBot.Testing;

namespace CcBot.Core.Tests.HelpDesk;

/// <summary>The staff FAQ and labelled examples in each instance's NLU engine (a small engine, trained in milliseconds).</summary>
public abstract class StaffKnowledgeContractTests(string provider) : InstanceContractTests(provider)
{
    private static readonly Lazy<(IntentModel Model, IReadOnlyList<TrainingExample> Examples)> Base = new(() =>
    {
        var examples = TrainingData.LoadTsv(Path.Combine(TestRepo.Root, "data", NluEngine.TrainRelativePath))
            .GroupBy(e => e.Intent).SelectMany(g => g.Take(5)).ToList();
        return (new IntentTrainer().Train(examples), examples);
    });

    protected override void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddCcBotHelpDesk();
        services.AddSingleton<NluEngineHolder>();
    }

    protected static (IHelpDeskStore Store, StaffKnowledge Knowledge, LoadingEngine Nlu) Parts(IServiceProvider instance) =>
        (instance.GetRequiredService<IHelpDeskStore>(), instance.GetRequiredService<StaffKnowledge>(),
            new LoadingEngine(instance.GetRequiredService<NluEngineHolder>(), instance.GetRequiredService<StaffKnowledge>()));

    /// <summary>The instance's engine, loaded at first use as NluEngineLoader loads it: the base engine, then the staff knowledge stored so far.</summary>
    protected sealed class LoadingEngine(NluEngineHolder holder, StaffKnowledge knowledge)
    {
        public NluEngine Current
        {
            get
            {
                if (holder.Loaded is null)
                {
                    holder.Replace(knowledge.LoadInto(NluEngine.Create(Base.Value.Model, [], new RoutingOptions(), Base.Value.Examples)));
                }

                return holder.Current;
            }
        }
    }

    [Fact]
    public async Task Stored_knowledge_is_loaded_once_and_new_entries_are_applied_once()
    {
        var (store, knowledge, nlu) = Parts(StartInstance());
        var stored = await store.AddFaqAsync("giấy chứng nhận gửi về đâu", "Về đơn vị công tác của bạn.", IntentNames.Prizes, null, null, "lan", At(1), CancellationToken.None);
        var baseExamples = Base.Value.Examples.Count;

        nlu.Current.Faq.Documents.Should().ContainSingle(d => d.Id == stored.FaqId);
        nlu.Current.Examples.Should().HaveCount(baseExamples + 1);

        await knowledge.ApplyAsync([stored], [], CancellationToken.None);
        nlu.Current.Examples.Should().HaveCount(baseExamples + 1, "an entry applied at load is not applied again");

        var examples = await store.AddExamplesAsync(["bao giờ có kết quả"], IntentNames.Results, "lan", At(2), CancellationToken.None);
        await knowledge.ApplyAsync([], examples, CancellationToken.None);
        await knowledge.ApplyAsync([], examples, CancellationToken.None);
        nlu.Current.Examples.Should().HaveCount(baseExamples + 2);
        (await knowledge.SyncAsync(CancellationToken.None)).Should().BeFalse("nothing is new to this instance");
    }

    [Fact]
    public async Task An_faq_entry_added_on_one_instance_reaches_the_others_engine()
    {
        var console = StartInstance();
        var bot = StartInstance();
        var (store, knowledge, _) = Parts(console);
        var (_, botKnowledge, botNlu) = Parts(bot);
        var before = botNlu.Current;
        (await botKnowledge.SyncAsync(CancellationToken.None)).Should().BeFalse();

        var entry = await store.AddFaqAsync("nếu mất điện giữa chừng thì thế nào", "Bạn đăng nhập lại, bài làm được lưu.", null, null, null, "lan", At(1), CancellationToken.None);
        await knowledge.ApplyAsync([entry], [], CancellationToken.None);
        var examples = await store.AddExamplesAsync(["khi nào công bố giải"], IntentNames.Results, "lan", At(2), CancellationToken.None);
        await knowledge.ApplyAsync([], examples, CancellationToken.None);

        (await botKnowledge.SyncAsync(CancellationToken.None)).Should().BeTrue();
        botNlu.Current.Faq.Documents.Should().Contain(d => d.Id == entry.FaqId && d.Answer == entry.Answer);
        botNlu.Current.Examples.Should().HaveCount(before.Examples.Count + 1);
        botNlu.Current.Understand("Nếu mất điện giữa chừng thì thế nào?").FaqHits[0].Document.Id.Should().Be(entry.FaqId);
        (await botKnowledge.SyncAsync(CancellationToken.None)).Should().BeFalse();
        botNlu.Current.Examples.Should().HaveCount(before.Examples.Count + 1);
    }

    [Fact]
    public async Task Nothing_is_read_before_the_engine_loads()
    {
        var (store, knowledge, nlu) = Parts(StartInstance());
        await store.AddFaqAsync("câu hỏi", "Câu trả lời.", null, null, null, "lan", At(1), CancellationToken.None);
        (await knowledge.SyncAsync(CancellationToken.None)).Should().BeFalse("loading the engine reads everything");
        nlu.Current.Faq.Documents.Should().ContainSingle(d => d.Id.StartsWith("staff-", StringComparison.Ordinal));
    }
}

public sealed class StaffKnowledgeOnSqlite() : StaffKnowledgeContractTests("sqlite");

public sealed class StaffKnowledgeOnPostgres() : StaffKnowledgeContractTests("postgres");
