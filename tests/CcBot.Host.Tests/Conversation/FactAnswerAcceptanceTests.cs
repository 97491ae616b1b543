using System.Text;
using System.Text.RegularExpressions;
using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Pipeline;
using CcBot.Core.Time;
using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit.Abstractions;

namespace CcBot.Host.Tests.Conversation;

/// <summary>
/// The fact question set (<c>fact-questions.tsv</c>) through the whole bot: classifier, router, contest facts, storage.
/// Every answer must hold its expected facts in its first two lines (≥ 97% of questions), cite a document (all), fit one
/// phone screen (≤ 600 characters before the buttons) and state no date, time, phone, e-mail or address that no notice states.
/// </summary>
public sealed partial class FactAnswerAcceptanceTests(ITestOutputHelper output)
{
    private sealed record Case(string Conversation, string Question, string[] Expected, bool AsksBack);

    private sealed class Recorder : IChannelSender
    {
        public List<OutboundMessage> Sent { get; } = [];

        public string Channel => ChatCommand.Channel;

        public Task<SendOutcome> SendAsync(ConversationReference to, StoredOutbound message, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add(message.Message);
            }

            return Task.FromResult(SendOutcome.Ok(message.ActivityId));
        }
    }

    private static IReadOnlyList<Case> Cases() =>
        [.. File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "CcBot.Host.Tests", "Conversation", "fact-questions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => new Case(p[0], p[1].StartsWith("NFD:", StringComparison.Ordinal) ? p[1][4..].Normalize(NormalizationForm.FormD) : p[1],
                p[2].TrimStart('?').Split('|'), p[2].StartsWith('?')))];

    [GeneratedRegex(@"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}h\d{2}|\b0\d[\d. ]{7,}\d\b|[\w.]+@[\w.]+\w|https?://\S+[\w/]")]
    private static partial Regex Stated();

    [Fact]
    public async Task At_least_97_percent_of_fact_questions_get_their_facts_in_two_lines_cited_short_and_invented_nowhere()
    {
        var cases = Cases();
        cases.Should().HaveCountGreaterThanOrEqualTo(80);
        var folder = TestHost.NewDataFolder();
        var recorder = new Recorder();
        var clock = new ManualClock(VietnamTime.At(2026, 12, 7, 10, 0));
        var context = new CliContext(TextReader.Null, TextWriter.Null, new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "ccbot.db")}",
            ["Storage:DataFolder"] = folder,
            ["Content:Root"] = RepoPaths.Root,
            ["Nlu:ModelFile"] = TestHost.SharedModelFile,
        });
        using var host = CliRoot.BuildServices(context, s =>
        {
            s.AddSingleton<IChannelSender>(recorder);
            s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        });
        await host.Services.GetRequiredService<Core.Nlu.NluEngineLoader>().LoadAsync(CancellationToken.None);
        var inbox = host.Services.GetRequiredService<IInbox>();
        var index = host.Services.GetRequiredService<ContestFactIndex>();
        var texts = host.Services.GetRequiredService<Core.Text.ITextCatalog>();
        // What the notices state: every fact, and every document as the answers cite it (its number and date).
        var stated = string.Join("\n", index.Facts.Select(f => f.Text)
            .Concat(host.Services.GetRequiredService<ContestCatalog>().Contests.SelectMany(c => c.SourceDocuments).Select(d => ContestAnswers.Cite(d, texts))));

        var missed = new List<string>();
        var uncited = new List<string>();
        var tooLong = new List<string>();
        var invented = new List<string>();
        foreach (var c in cases)
        {
            recorder.Sent.Clear();
            var receipt = await inbox.SubmitAsync(new InboundActivity
            {
                Channel = ChatCommand.Channel,
                Id = Guid.NewGuid().ToString("N"),
                Kind = ActivityKind.Message,
                From = new ConversationReference(ChatCommand.Channel, "facts-" + c.Conversation, "u-" + c.Conversation, "Người dùng"),
                Text = c.Question,
                Timestamp = clock.GetUtcNow(),
            }, CancellationToken.None);
            await receipt.Handled;
            var answer = recorder.Sent.LastOrDefault()?.Text ?? "";
            var firstTwo = string.Join("\n", answer.Split('\n').Take(2));
            output.WriteLine($"[{c.Conversation}] {c.Question}\n    {answer.Replace("\n", "\n    ", StringComparison.Ordinal)}");
            if (!c.Expected.All(e => firstTwo.Contains(e, StringComparison.Ordinal)))
            {
                missed.Add($"{c.Conversation} «{c.Question}» expected «{string.Join(" | ", c.Expected)}», got «{answer}»");
            }

            if (c.AsksBack)
            {
                continue;
            }

            if (!Regex.IsMatch(answer, "(Công văn|Kế hoạch|Thông báo|Quyết định|Hướng dẫn)"))
            {
                uncited.Add($"{c.Conversation} «{c.Question}»: {answer}");
            }

            if (answer.Length > 600)
            {
                tooLong.Add($"{c.Conversation} «{c.Question}»: {answer.Length} characters");
            }

            invented.AddRange(Stated().Matches(answer).Select(m => m.Value).Where(v => !stated.Contains(v, StringComparison.Ordinal))
                .Select(v => $"{c.Conversation} «{c.Question}»: «{v}» is in no fact"));
        }

        output.WriteLine($"{cases.Count - missed.Count}/{cases.Count} answered with every expected fact in the first two lines");
        (1.0 * (cases.Count - missed.Count) / cases.Count).Should().BeGreaterThanOrEqualTo(0.97, string.Join("\n", missed));
        uncited.Should().BeEmpty();
        tooLong.Should().BeEmpty();
        invented.Should().BeEmpty();
    }
}
