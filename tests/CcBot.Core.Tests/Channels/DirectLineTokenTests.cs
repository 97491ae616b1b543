using System.Text;
using CcBot.Core.Channels.DirectLine;
using CcBot.Core.Storage;
using CcBot.Core.Tests.Contests;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Tests.Channels;

public sealed class DirectLineTokenTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    private static DirectLineTokens Tokens(TimeProvider clock, string key = "test-signing-key") =>
        new(Options.Create(new DirectLineOptions { TokenSigningKey = key, TokenLifetimeSeconds = 1800 }), new NoSettings(), clock);

    [Fact]
    public async Task An_issued_token_grants_its_conversation_and_user_until_it_expires()
    {
        var clock = new ManualClock(Start);
        var tokens = Tokens(clock);
        var token = await tokens.IssueAsync("conv-1", "dl_user", default);

        var (check, grant) = await tokens.ValidateAsync(token, default);
        check.Should().Be(TokenCheck.Valid);
        grant.Should().Be(new DirectLineGrant("conv-1", "dl_user", Start.AddSeconds(1800)));

        clock.Advance(TimeSpan.FromSeconds(1800));
        (await tokens.ValidateAsync(token, default)).Check.Should().Be(TokenCheck.Expired);
    }

    [Fact]
    public async Task Tampered_foreign_unsigned_and_malformed_tokens_are_invalid()
    {
        var clock = new ManualClock(Start);
        var tokens = Tokens(clock);
        var token = await tokens.IssueAsync("conv-1", "dl_user", default);
        var parts = token.Split('.');
        var otherPayload = Base64Url("""{"conv":"conv-2","user":"dl_user","exp":9999999999}""");
        var unsigned = Base64Url("""{"alg":"none","typ":"JWT"}""") + "." + otherPayload + ".";

        (await tokens.ValidateAsync(parts[0] + "." + otherPayload + "." + parts[2], default)).Check.Should().Be(TokenCheck.Invalid, "the payload was changed");
        (await tokens.ValidateAsync(await Tokens(clock, "another-key").IssueAsync("conv-1", "dl_user", default), default)).Check.Should().Be(TokenCheck.Invalid);
        (await tokens.ValidateAsync(unsigned, default)).Check.Should().Be(TokenCheck.Invalid);
        (await tokens.ValidateAsync("not.a.jwt", default)).Check.Should().Be(TokenCheck.Invalid);
        (await tokens.ValidateAsync("garbage", default)).Check.Should().Be(TokenCheck.Invalid);
        (await tokens.ValidateAsync(" ", default)).Check.Should().Be(TokenCheck.Missing);
    }

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class NoSettings : ISettingsStore
    {
        public Task<string> GetOrCreateAsync(string key, Func<string> create, CancellationToken cancellationToken) => Task.FromResult(create());
    }
}
