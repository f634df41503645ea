using Microsoft.Extensions.Logging;
using Sluice.Definitions;
using Sluice.Execution;

namespace SecretLeakApp;

/// <summary>Two steps: <c>leak</c> prints, logs and throws its secrets in every form; <c>report</c> puts one in a published output.</summary>
public static class LeakPipeline
{
    /// <summary>Defines the pipeline.</summary>
    public static Pipeline Create() => Pipeline.Define("secret-leak", p =>
    {
        Artifact<LeakSettings> settings = p.Parameters<LeakSettings>("Leak");

        p.Step("leak")
            .WithRetry(r => { r.MaxAttempts = 2; r.Delay = TimeSpan.Zero; })
            .Executes(settings, Leak);

        // Retries are allowed, yet refusing an output that shows a secret is final.
        p.Step("report")
            .WithRetry(r => { r.MaxAttempts = 3; r.Delay = TimeSpan.Zero; })
            .Publish("reports/report.txt")
            .Executes(settings, (_, s) => $"Report\nkey used: {s.EnvKey?.Reveal()}\n");
    });

    private static void Leak(StepContext ctx, LeakSettings settings)
    {
        foreach ((string name, string value) in settings.All())
        {
            foreach ((string form, string text) in LeakForms.Of(value))
            {
                Console.WriteLine($"stdout {name} {form}: {text}");
                Console.Error.WriteLine($"stderr {name} {form}: {text}");
                ctx.Logger.LogInformation("log {Name} {Form}: {Text}", name, form, text);
            }

            ctx.Logger.LogWarning(new InvalidOperationException($"inner failure with {value}"), "logged exception for {Name}", name);
        }

        // A thread that does not inherit the step's context writes to the real console, still redacted.
        string key = settings.EnvKey?.Reveal() ?? "";
        using (ExecutionContext.SuppressFlow())
        {
            var outside = new Thread(() => Console.WriteLine($"outside any step: {key}"));
            outside.Start();
            outside.Join();
        }

        // No newline: the line is logged when the attempt ends.
        Console.Write($"partial line {key}");
        throw new InvalidOperationException($"could not call the API with key {key} (sent as {Uri.EscapeDataString(key)}, token {settings.UserToken?.Reveal()}, password {settings.FilePassword})");
    }
}
