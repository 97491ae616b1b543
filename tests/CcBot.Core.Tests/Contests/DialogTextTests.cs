using System.Text.RegularExpressions;
using CcBot.Core.Contests;
using CcBot.Core.Text;

namespace CcBot.Core.Tests.Contests;

public class ContestsDialogTextTests
{
    [Fact]
    public void Every_literal_key_used_by_the_contests_code_exists_and_is_prefixed()
    {
        var texts = (YamlTextCatalog)Repo.Texts;
        texts.Keys.Should().OnlyContain(k => k.StartsWith("contests.", StringComparison.Ordinal));

        var source = string.Join("\n", Directory.GetFiles(Path.Combine(Repo.Root, "src", "CcBot.Core", "Contests"), "*.cs").Select(File.ReadAllText));
        var used = Regex.Matches(source, "\"(contests\\.[a-z_.]*[a-z])\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        used.Should().NotBeEmpty();
        used.Where(k => !texts.Contains(k)).Should().BeEmpty();

        // Keys built from enum names.
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            texts.Contains("contests.weekday." + day.ToString().ToLowerInvariant()).Should().BeTrue();
        }

        foreach (var name in Enum.GetValues<ContestTopic>())
        {
            texts.Contains("contests.topic." + ContestEnums.ToYaml(name)).Should().BeTrue();
        }

        foreach (var name in Enum.GetValues<ContestKind>())
        {
            texts.Contains("contests.kind." + ContestEnums.ToYaml(name)).Should().BeTrue();
        }

        foreach (var name in Enum.GetValues<SubmissionChannelKind>())
        {
            texts.Contains("contests.channel." + ContestEnums.ToYaml(name)).Should().BeTrue();
        }

        foreach (var name in Enum.GetValues<LinkKind>())
        {
            texts.Contains("contests.link." + ContestEnums.ToYaml(name)).Should().BeTrue();
            texts.Contains("contests.button.link_" + ContestEnums.ToYaml(name)).Should().BeTrue();
        }

        texts.Contains("contests.button.open_fanpage").Should().BeTrue();
        texts.Contains("contests.button.open_website").Should().BeTrue();
    }

    [Fact]
    public void Dialog_folder_loads_with_the_contests_file() =>
        YamlTextCatalog.LoadFolder(Path.Combine(Repo.Root, "dialogs")).Contains("contests.missing").Should().BeTrue();
}
