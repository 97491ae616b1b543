using Microsoft.Playwright;

namespace CcBot.Host.Tests.Infrastructure;

/// <summary>A real host on loopback plus Debian's Chromium through Playwright, started per test class.</summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private IPlaywright _playwright = null!;

    protected TestHost Host { get; private set; } = null!;

    protected IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Host.DisposeAsync();
    }
}
