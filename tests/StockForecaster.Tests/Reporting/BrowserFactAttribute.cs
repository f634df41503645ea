namespace StockForecaster.Tests.Reporting;

/// <summary>Marks a test that runs the HTML report in a real headless Chromium.</summary>
/// <remarks>
/// CI installs Chromium (Debian package <c>chromium</c>) and runs these tests; without it they fail and say how to install it.
/// On a developer machine without Chromium, set <c>SLUICE_SKIP_BROWSER_TESTS=1</c> to report them as skipped instead.
/// </remarks>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>The environment variable that, set to 1, skips the browser tests.</summary>
    public const string SkipVariable = "SLUICE_SKIP_BROWSER_TESTS";

    /// <summary>Creates the attribute, skipping the test only when <see cref="SkipVariable"/> is 1.</summary>
    public BrowserFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
        {
            Skip = $"{SkipVariable}=1: browser tests skipped on request (CI runs them with Debian's chromium installed).";
        }
    }
}
