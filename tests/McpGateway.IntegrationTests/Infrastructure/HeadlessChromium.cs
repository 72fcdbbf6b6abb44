using Microsoft.Playwright;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven by Microsoft.Playwright through <c>ExecutablePath</c>: the
/// package's own browser download is never used (infra/test.sh installs chromium with apt-get). One browser
/// per test class; each test opens its own context, so cookies never leak between tests.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/lib/chromium/chromium", "/usr/bin/chromium" }
            .FirstOrDefault(path => path is { Length: > 0 } && File.Exists(path))
            ?? throw new InvalidOperationException("Debian's chromium is not installed: run `apt-get install -y chromium` (infra/test.sh does) or set CHROMIUM_PATH");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Timeout = 60_000,

            // The machine's network is closed: without these, Chromium keeps trying to reach its services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh context (no cookies) with a phone-sized viewport, the way approvers often open the link.</summary>
    public Task<IBrowserContext> NewPhoneContextAsync() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
    });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
