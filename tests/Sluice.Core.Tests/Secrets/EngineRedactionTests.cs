using Microsoft.Extensions.Logging;
using Sluice.Definitions;
using Sluice.Execution;
using Sluice.State;

namespace Sluice.Secrets;

/// <summary>The engine redacts a secret once, where a run's records are made: the store, every observer and every step logger get clean text.</summary>
public sealed class EngineRedactionTests
{
    private const string Value = "tok_9f8e7d6c5b4a";

    /// <summary>Keeps everything a step logger receives: the message, each property and the exception's text.</summary>
    private sealed class LogRecorder : IRunObserver
    {
        public List<string> Texts { get; } = [];

        public void OnEvent(RunEvent runEvent)
        {
        }

        public ILogger CreateStepLogger(RunId run, string step, int attempt) => new Recorder(Texts);

        private sealed class Recorder(List<string> texts) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (texts)
                {
                    texts.Add(formatter(state, exception));
                    if (state is IEnumerable<KeyValuePair<string, object?>> properties)
                    {
                        texts.AddRange(properties.Select(p => $"{p.Key}={p.Value}"));
                    }

                    if (exception is not null)
                    {
                        texts.Add(exception.ToString());
                        texts.Add(exception.Message);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Run_StepLogsAndThrowsSecret_NothingRecordedShowsIt()
    {
        var harness = new RunHarness();
        var logs = new LogRecorder();
        harness.Observers.Add(logs);
        harness.Options.Redactor = new SecretRedactor();
        harness.Options.Redactor.Add("Api:Key", Value);
        StepContext? inside = null;
        Pipeline pipeline = Pipeline.Define("p", p => p.Step("call")
            .WithRetry(r => { r.MaxAttempts = 2; r.Delay = TimeSpan.Zero; })
            .Executes(ctx =>
            {
                inside = StepContext.Current;
                ctx.Logger.LogInformation("calling with {Key} and {Url}", Value, new Uri($"https://api.example/?key={Value}"));
                ctx.Logger.LogWarning(new InvalidOperationException($"inner {Value}"), $"interpolated {Value}");
                throw new InvalidOperationException($"the API refused key {Value}");
            }));

        RunResult result = await harness.RunAsync(pipeline);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("call", inside?.Step);
        Assert.Null(StepContext.Current);
        IReadOnlyList<RunEvent> events = await harness.Store.GetEventsAsync(harness.RunId);
        IReadOnlyList<StepAttemptRecord> attempts = await harness.AttemptsAsync("call");
        StepRecord step = await harness.StepAsync("call");
        string?[] recorded =
        [
            .. events.SelectMany(e => new[] { e.ErrorMessage, e.ErrorType, e.Reason }),
            .. harness.Observer.Events.SelectMany(e => new[] { e.ErrorMessage, e.ErrorType, e.Reason }),
            .. attempts.SelectMany(a => new[] { a.ErrorMessage, a.ErrorType, a.Reason }),
            step.Reason,
            .. logs.Texts,
        ];
        Assert.Equal(2, attempts.Count);
        Assert.All(recorded, text => Assert.DoesNotContain(Value, text ?? "", StringComparison.Ordinal));
        Assert.Contains("the API refused key ***", attempts[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Kind == RunEventKind.StepRetrying && e.ErrorMessage == "the API refused key ***");
        Assert.Contains("calling with *** and https://api.example/?key=***", logs.Texts);
        Assert.Contains("Key=***", logs.Texts);
        Assert.Contains(logs.Texts, t => t.StartsWith("System.InvalidOperationException: inner ***", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_NoSecrets_StepLoggerIsTheObserversOwn()
    {
        var harness = new RunHarness();
        var logs = new LogRecorder();
        harness.Observers.Add(logs);
        Type? loggerType = null;
        Pipeline pipeline = Pipeline.Define("p", p => p.Step("a").Executes(ctx => { loggerType = ctx.Logger.GetType(); }));

        await harness.RunAsync(pipeline);

        Assert.DoesNotContain("Redacting", loggerType!.Name, StringComparison.Ordinal);
    }
}
