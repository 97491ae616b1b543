using Microsoft.Playwright;

namespace CcBot.Host.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (its own browser download cannot work here). A missing browser fails the test.</summary>
public static class Chromium
{
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

    private static string Path()
    {
        var path = Environment.GetEnvironmentVariable("CCBOT_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";
        File.Exists(path).Should().BeTrue($"the browser tests need Chromium at {path} (./test.sh installs Debian's chromium)");
        return path;
    }
}
