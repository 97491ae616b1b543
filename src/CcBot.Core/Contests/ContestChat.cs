using CcBot.Core.Activities;
using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Contests;

/// <summary>Which contest a conversation is about: chosen by button, start payload or a place name in the text.</summary>
public sealed class ContestContext(ContestCatalog catalog, ContestResolver resolver) : IContestContext
{
    public bool TrySelect(TurnContext turn, string idOrName)
    {
        var contest = catalog.Find(idOrName) ?? resolver.Resolve(idOrName);
        if (contest is null)
        {
            return false;
        }

        turn.State.ContestId = contest.Id;
        return true;
    }

    public bool TrySwitchByText(TurnContext turn, string text)
    {
        var candidates = resolver.FindCandidates(text);
        if (candidates.Count != 1 || candidates[0].Id == turn.State.ContestId)
        {
            return false;
        }

        turn.State.ContestId = candidates[0].Id;
        return true;
    }

    public bool NamesContest(string text) => resolver.FindCandidates(text).Count == 1;

    /// <summary>The conversation's contest; with a single contest loaded, that one.</summary>
    public Contest? Current(TurnContext turn) =>
        turn.State.ContestId is { } id && catalog.Find(id) is { } c ? c
        : catalog.Contests.Count == 1 ? catalog.Contests[0]
        : null;
}

/// <summary>
/// Rules, schedule, contacts, submission, registration, voting, prizes and overview answers about the current contest,
/// computed from its data file against the current Vietnam time. With several contests and none chosen, asks which one.
/// </summary>
public sealed class ContestTopicActions(ContestCatalog catalog, ContestContext context, ContestQuestions questions, ITextCatalog texts) : IBotAction
{
    private static readonly Dictionary<string, ContestTopic> Topics = new(StringComparer.Ordinal)
    {
        ["overview"] = ContestTopic.Overview,
        ["rules"] = ContestTopic.Rules,
        ["schedule"] = ContestTopic.Schedule,
        ["contact"] = ContestTopic.Contact,
        ["submission"] = ContestTopic.Submission,
        ["registration"] = ContestTopic.Registration,
        ["voting"] = ContestTopic.Voting,
        ["prizes"] = ContestTopic.Prizes,
    };

    public IReadOnlyCollection<string> Names { get; } = [.. Topics.Keys, "choose_contest", "contest"];

    public Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        if (name == "contest")
        {
            // Button payload "contest:<id>" or "contest:<id>|<topic>".
            var parts = (argument ?? string.Empty).Split('|', 2);
            if (catalog.Find(parts[0]) is not { } chosen)
            {
                AskWhich(turn, "overview");
                return Task.CompletedTask;
            }

            turn.State.ContestId = chosen.Id;
            // "contest:<id>|question": the contest chosen for a question asked before; answer that question.
            if (parts.Length > 1 && parts[1] == "question" && questions.TryAnswerPending(turn))
            {
                return Task.CompletedTask;
            }

            var topic = parts.Length > 1 && Topics.ContainsKey(parts[1]) ? parts[1] : "overview";
            Answer(turn, chosen, topic);
            return Task.CompletedTask;
        }

        if (name == "choose_contest")
        {
            if (argument is { Length: > 0 } && context.TrySelect(turn, argument) && context.Current(turn) is { } picked)
            {
                Answer(turn, picked, "overview");
            }
            else
            {
                AskWhich(turn, "overview");
            }

            return Task.CompletedTask;
        }

        var contest = context.Current(turn);
        if (contest is null)
        {
            AskWhich(turn, name);
            return Task.CompletedTask;
        }

        Answer(turn, contest, name);
        return Task.CompletedTask;
    }

    private void Answer(TurnContext turn, Contest contest, string topic)
    {
        var answer = ContestAnswers.Answer(contest, Topics[topic], turn.Now, texts);
        var buttons = answer.Message.Buttons.ToList();
        if (topic == "overview" && contest.Kind is ContestKind.InitiativeWriting or ContestKind.VideoClip)
        {
            buttons.Add(ReplyButton.Action(texts.Get("entries.button.menu"), "entries:" + contest.Id));
        }

        if (catalog.Contests.Count > 1)
        {
            buttons.Add(ReplyButton.Action(texts.Get("contest.button.other"), "choose_contest"));
        }

        turn.Reply(answer.Message with { Buttons = buttons });
    }

    private void AskWhich(TurnContext turn, string topic)
    {
        if (catalog.Contests.Count == 0)
        {
            turn.Reply(texts.Get("contest.none_loaded"), [ReplyButton.Action(texts.Get("button.human"), "human")]);
            return;
        }

        var buttons = catalog.Contests
            .Select(c => ReplyButton.Action(c.ShortName, $"contest:{c.Id}|{topic}"))
            .ToList();
        turn.Reply(texts.Get("contest.choose"), buttons);
    }
}

public static class ContestServices
{
    public static IServiceCollection AddCcBotContests(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton(sp => ContestCatalog.Load(sp.GetRequiredService<ContentPaths>().Contests));
        services.AddSingleton(sp => new ContestResolver(sp.GetRequiredService<ContestCatalog>().Contests));
        services.AddSingleton<ContestContext>();
        services.AddSingleton<IContestContext>(sp => sp.GetRequiredService<ContestContext>());
        services.AddSingleton<IBotAction, ContestTopicActions>();
        services.AddSingleton<ContestFactIndex>();
        services.AddSingleton<ContestQuestions>();
        services.AddSingleton<IContestQuestions>(sp => sp.GetRequiredService<ContestQuestions>());
        return services;
    }
}
