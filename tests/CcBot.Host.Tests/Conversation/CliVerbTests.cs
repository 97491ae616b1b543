using CcBot.Host.Cli;

namespace CcBot.Host.Tests.Conversation;

/// <summary>The entry point's choice between a verb, the web host and a mistyped verb.</summary>
public sealed class CliVerbTests
{
    [Theory]
    [InlineData("contets", "contests")]
    [InlineData("brodcast", "broadcast")]
    [InlineData("user", "users")]
    public async Task A_mistyped_verb_fails_naming_the_closest_verb_and_starts_no_host(string typed, string meant)
    {
        var hostStarted = false;
        var error = new StringWriter();

        var exit = await CliRoot.MainAsync([typed, "list"], _ => { hostStarted = true; return Task.FromResult(0); }, error);

        exit.Should().Be(2);
        hostStarted.Should().BeFalse();
        error.ToString().Should().Contain($"'{typed}'").And.Contain($"Did you mean '{meant}'");
    }

    [Fact]
    public async Task A_word_near_no_verb_fails_without_a_suggestion()
    {
        var error = new StringWriter();

        var exit = await CliRoot.MainAsync(["xyzzyqwerty"], _ => Task.FromResult(0), error);

        exit.Should().Be(2);
        error.ToString().Should().Contain("Unknown verb 'xyzzyqwerty'").And.NotContain("Did you mean");
    }

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:5999")]
    [InlineData("Storage:Provider=postgres")]
    public async Task Host_arguments_start_the_host(params string[] args)
    {
        string[]? passed = null;

        var exit = await CliRoot.MainAsync(args, a => { passed = a; return Task.FromResult(7); }, new StringWriter());

        exit.Should().Be(7);
        passed.Should().Equal(args);
    }
}
