using Sluice.Definitions;

namespace Sluice.Cli.Tests.Alerts;

/// <summary>The pipelines and configuration the alert tests run: a project whose config names the sinks under test.</summary>
internal static class AlertProject
{
    /// <summary>A pipeline of independent steps; those named in <paramref name="failing"/> throw.</summary>
    public static Pipeline Define(params string[] failing) => Pipeline.Define("alerting", p =>
    {
        p.Step("fetch").Executes(ctx => Step(ctx.Step, failing));
        p.Step("score").Executes(ctx => Step(ctx.Step, failing));
    });

    /// <summary>Writes <c>config/appsettings.json</c> with <paramref name="alerts"/> as the <c>Sluice:Alerts</c> section.</summary>
    public static void Configure(TempProject project, string alerts) =>
        project.Write("config/appsettings.json", $$"""{ "Sluice": { "Alerts": {{alerts}} } }""");

    private static int Step(string step, string[] failing) =>
        failing.Contains(step) ? throw new InvalidOperationException($"{step} broke") : 1;
}
