namespace StockForecaster.Tests.Reporting;

/// <summary>What one headless Chromium run printed, and the hosts it tried to reach through the sink proxy.</summary>
/// <param name="ExitCode">The browser's exit code.</param>
/// <param name="StandardOutput">What it printed on standard output (the DOM, with <c>--dump-dom</c>).</param>
/// <param name="StandardError">What it printed on standard error.</param>
/// <param name="Hosts">The hosts it sent requests for, its own background services included.</param>
internal sealed record BrowserRun(int ExitCode, string StandardOutput, string StandardError, IReadOnlyList<string> Hosts);
