using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Artifacts;
using Sluice.Execution;
using Sluice.Secrets;
using Sluice.State;

namespace Sluice.Telemetry;

/// <summary>One run's telemetry: turns its events into log messages, metrics and activities, and keeps its metrics summary.</summary>
/// <remarks>
/// <para>
/// Logs are emitted from the run's events (this class is an <see cref="IRunObserver"/>) rather than from the coordinator:
/// every state change already becomes exactly one <see cref="RunEvent"/> carrying run, step, attempt, duration, error and
/// reason, so one translation keeps the log, the console and <c>run.jsonl</c> in agreement and leaves the coordinator's
/// loop as it was. The coordinator adds this observer only when a logger, a meter listener or an activity listener is
/// there at the run's start, so a run nobody watches pays nothing per event.
/// </para>
/// <para>
/// What events cannot carry is taken in the attempt's own flow by <see cref="StartAttempt"/>: the attempt's activity
/// and logging scope (so the step's code runs inside them), its outcome, and the bytes it stored. The summary (attempts,
/// retries, bytes, each step's measurements) is counted whether or not anything listens, and written once at the end.
/// </para>
/// </remarks>
internal sealed class RunTelemetry : IRunObserver
{
    private const string ReusedPrefix = "reused: ";

    private readonly string _pipeline;
    private readonly RunId _run;
    private readonly string _runText;
    private readonly ILogger _engine;
    private readonly ILogger _steps;
    private readonly bool _logs;
    private readonly bool _traces;
    private readonly bool _metrics;
    private readonly bool _checkpointing;
    private readonly SecretRedactor _redactor;
    private readonly IRunMetricsStore? _store;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Step, string Name), RunMeasurement> _measured = [];
    private Activity? _runActivity;
    private long _stepsRun;
    private long _attempts;
    private long _retries;
    private long _written;
    private long _published;

    public RunTelemetry(string pipeline, RunId run, RunOptions options, IRunStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pipeline = pipeline;
        _run = run;
        _runText = run.Value;
        ILoggerFactory factory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _engine = factory.CreateLogger(Log.EngineCategory);
        _steps = factory.CreateLogger(Log.StepCategory);

        // Critical is the last level a logger can enable: if it is off, everything is.
        _logs = _engine.IsEnabled(LogLevel.Critical) || _steps.IsEnabled(LogLevel.Critical);
        _traces = SluiceTelemetry.Source.HasListeners();
        _metrics = SluiceTelemetry.AnyInstrumentEnabled;
        _checkpointing = options.Checkpointing is not null;
        _redactor = options.Redactor;
        _store = store as IRunMetricsStore;
    }

    /// <summary>Gets whether anything listens, so the coordinator must tell this object the run's events.</summary>
    public bool Observing => _logs || _traces || _metrics;

    public void OnEvent(RunEvent e)
    {
        switch (e.Kind)
        {
            case RunEventKind.RunStarted:
                StartRunActivity();
                if (_logs)
                {
                    Log.RunStarted(_engine, _runText, _pipeline, e.Reason);
                }

                break;
            case RunEventKind.StepStarted:
                if (_checkpointing && e.Attempt == 1 && SluiceTelemetry.Misses.Enabled)
                {
                    SluiceTelemetry.Misses.Add(1, Tags(e.Step));
                }

                if (_logs)
                {
                    Log.StepStarted(_engine, _runText, e.Step!, e.Attempt ?? 1, e.Reason is null ? "" : $" ({e.Reason})");
                }

                break;
            case RunEventKind.StepSucceeded:
                StepEnded(e, "succeeded");
                if (_logs)
                {
                    Log.StepSucceeded(_engine, _runText, e.Step!, e.Attempt ?? 1, Milliseconds(e.Duration), e.Reason is null ? "" : $": {e.Reason}");
                }

                break;
            case RunEventKind.StepRetrying:
                if (SluiceTelemetry.Retries.Enabled)
                {
                    SluiceTelemetry.Retries.Add(1, Tags(e.Step));
                }

                if (_logs)
                {
                    Log.StepRetrying(_engine, _runText, e.Step!, e.Attempt ?? 1, e.Reason, e.ErrorType, _redactor.RedactOrNull(e.ErrorMessage));
                }

                break;
            case RunEventKind.StepFailed:
                StepEnded(e, "failed");
                if (SluiceTelemetry.Failures.Enabled)
                {
                    SluiceTelemetry.Failures.Add(1, Tags(e.Step));
                }

                if (_logs)
                {
                    Log.StepFailed(_engine, _runText, e.Step!, e.Attempt ?? 0, e.Reason, e.ErrorType, _redactor.RedactOrNull(e.ErrorMessage));
                }

                break;
            case RunEventKind.StepSkipped when e.Reason?.StartsWith(ReusedPrefix, StringComparison.Ordinal) == true:
                if (SluiceTelemetry.Hits.Enabled)
                {
                    SluiceTelemetry.Hits.Add(1, Tags(e.Step));
                }

                if (_logs)
                {
                    Log.StepReused(_engine, _runText, e.Step!, e.Reason[ReusedPrefix.Length..]);
                }

                break;
            case RunEventKind.StepSkipped:
                if (_logs)
                {
                    Log.StepSkipped(_engine, _runText, e.Step!, e.Reason);
                }

                break;
            case RunEventKind.StepUpstreamFailed:
                if (_logs)
                {
                    Log.StepUpstreamFailed(_engine, _runText, e.Step!, e.Reason);
                }

                break;
            case RunEventKind.StepCancelled:
                if (e.Duration is not null)
                {
                    StepEnded(e, "cancelled");
                }

                if (_logs)
                {
                    Log.StepCancelled(_engine, _runText, e.Step!, e.Attempt ?? 0, e.Reason);
                }

                break;
            case RunEventKind.RunSucceeded or RunEventKind.RunFailed or RunEventKind.RunCancelled:
                RunEnded(e);
                break;
        }
    }

    public ILogger CreateStepLogger(RunId run, string step, int attempt) =>
        _logs && _steps.IsEnabled(LogLevel.Critical)
            ? new HostStepLogger(_steps, new AttemptScope(_pipeline, _runText, step, attempt), _redactor)
            : NullLogger.Instance;

    /// <summary>Starts an attempt's activity and logging scope, in the attempt's own flow; dispose the result when the attempt ends.</summary>
    public AttemptTelemetry StartAttempt(string step, int attempt)
    {
        Interlocked.Increment(ref _attempts);
        if (attempt == 1)
        {
            Interlocked.Increment(ref _stepsRun);
        }
        else
        {
            Interlocked.Increment(ref _retries);
        }

        Activity? activity = null;
        if (_traces)
        {
            activity = SluiceTelemetry.Source.StartActivity(SluiceTelemetry.AttemptActivity, ActivityKind.Internal, _runActivity?.Context ?? default);
            if (activity is not null)
            {
                activity.DisplayName = "step " + step;
                activity.SetTag("sluice.pipeline", _pipeline);
                activity.SetTag("sluice.run_id", _runText);
                activity.SetTag("sluice.step", step);
                activity.SetTag("sluice.attempt", attempt);
            }
        }

        IDisposable? scope = _logs ? _engine.BeginScope(new AttemptScope(_pipeline, _runText, step, attempt)) : null;
        return new AttemptTelemetry(this, step, attempt, activity, scope);
    }

    /// <summary>Counts the bytes a step stored and, if it publishes, published.</summary>
    public void ArtifactStored(string step, int attempt, ArtifactRef artifact, bool published)
    {
        Interlocked.Add(ref _written, artifact.Length);
        if (published)
        {
            Interlocked.Add(ref _published, artifact.Length);
        }

        if (SluiceTelemetry.BytesWritten.Enabled)
        {
            SluiceTelemetry.BytesWritten.Add(artifact.Length, Tags(step));
        }

        if (published && SluiceTelemetry.BytesPublished.Enabled)
        {
            SluiceTelemetry.BytesPublished.Add(artifact.Length, Tags(step));
        }

        if (_logs)
        {
            Log.StepOutputStored(_engine, _runText, step, attempt, artifact.Hash.ToString(), artifact.Length, published ? " and published it" : "");
        }
    }

    /// <summary>Writes the run's metrics summary to the store (one write, not awaited: the run's final flush makes it durable).</summary>
    public IReadOnlyList<RunMeasurement> Complete(TimeSpan duration, IReadOnlyDictionary<string, StepStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        int Count(StepStatus status) => statuses.Values.Count(s => s == status);
        var summary = new List<RunMeasurement>
        {
            Engine(EngineMeasurements.RunDuration, duration.TotalSeconds, "s"),
            Engine(EngineMeasurements.StepsRun, Interlocked.Read(ref _stepsRun)),
            Engine(EngineMeasurements.StepsSucceeded, Count(StepStatus.Succeeded)),
            Engine(EngineMeasurements.StepsReused, Count(StepStatus.Reused)),
            Engine(EngineMeasurements.StepsFailed, Count(StepStatus.Failed)),
            Engine(EngineMeasurements.StepsSkipped, Count(StepStatus.Skipped)),
            Engine(EngineMeasurements.StepsUpstreamFailed, Count(StepStatus.UpstreamFailed)),
            Engine(EngineMeasurements.StepsCancelled, Count(StepStatus.Cancelled)),
            Engine(EngineMeasurements.Attempts, Interlocked.Read(ref _attempts)),
            Engine(EngineMeasurements.Retries, Interlocked.Read(ref _retries)),
            Engine(EngineMeasurements.BytesWritten, Interlocked.Read(ref _written), "By"),
            Engine(EngineMeasurements.BytesPublished, Interlocked.Read(ref _published), "By"),
        };
        lock (_gate)
        {
            summary.AddRange(_measured.Values);
        }

        if (_store is not null)
        {
            // A failing metrics sink never fails a run: the summary is lost, the run stands.
            _ = _store.RecordMeasurementsAsync(_run, summary, CancellationToken.None)
                .ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return summary;
    }

    internal void Record(string step, int attempt, string name, double value, string? unit)
    {
        lock (_gate)
        {
            _measured[(step, name)] = new RunMeasurement(step, name, value, unit, MeasurementSource.Step, attempt);
        }

        if (SluiceTelemetry.Measurements.Enabled)
        {
            var tags = new TagList { { "pipeline", _pipeline }, { "step", step }, { "measurement", name } };
            if (unit is not null)
            {
                tags.Add("unit", unit);
            }

            SluiceTelemetry.Measurements.Record(value, tags);
        }

        if (_logs)
        {
            Log.MeasurementRecorded(_engine, _runText, step, attempt, name, value, unit);
        }
    }

    internal void AttemptEnded(string step, AttemptOutcome outcome)
    {
        if (SluiceTelemetry.Attempts.Enabled)
        {
            SluiceTelemetry.Attempts.Add(1, Tags(step, outcome.ToText()));
        }
    }

    internal string Redact(string text) => _redactor.Redact(text);

    private static RunMeasurement Engine(string name, double value, string? unit = null) => new(null, name, value, unit, MeasurementSource.Engine);

    private static double Milliseconds(TimeSpan? duration) => Math.Round((duration ?? TimeSpan.Zero).TotalMilliseconds, 3);

    private TagList Tags(string? step) => new() { { "pipeline", _pipeline }, { "step", step } };

    private TagList Tags(string? step, string outcome) => new() { { "pipeline", _pipeline }, { "step", step }, { "outcome", outcome } };

    private void StepEnded(RunEvent e, string outcome)
    {
        if (e.Duration is { } duration && SluiceTelemetry.StepDurationSeconds.Enabled)
        {
            SluiceTelemetry.StepDurationSeconds.Record(duration.TotalSeconds, Tags(e.Step, outcome));
        }
    }

    private void StartRunActivity()
    {
        if (!_traces)
        {
            return;
        }

        // Started without becoming current in the coordinator's flow: attempts name it as their parent explicitly.
        Activity? previous = Activity.Current;
        _runActivity = SluiceTelemetry.Source.StartActivity(SluiceTelemetry.RunActivity, ActivityKind.Internal);
        Activity.Current = previous;
        if (_runActivity is not null)
        {
            _runActivity.DisplayName = "run " + _pipeline;
            _runActivity.SetTag("sluice.pipeline", _pipeline);
            _runActivity.SetTag("sluice.run_id", _runText);
        }
    }

    private void RunEnded(RunEvent e)
    {
        string outcome = e.Kind switch
        {
            RunEventKind.RunSucceeded => "succeeded",
            RunEventKind.RunCancelled => "cancelled",
            _ => "failed",
        };
        if (e.Duration is { } duration && SluiceTelemetry.RunDurationSeconds.Enabled)
        {
            SluiceTelemetry.RunDurationSeconds.Record(duration.TotalSeconds, new TagList { { "pipeline", _pipeline }, { "outcome", outcome } });
        }

        if (_runActivity is { } activity)
        {
            activity.SetTag("sluice.outcome", outcome);
            activity.SetStatus(e.Kind == RunEventKind.RunSucceeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, e.Kind == RunEventKind.RunSucceeded ? null : _redactor.RedactOrNull(e.Reason));
            Activity? current = Activity.Current;
            activity.Stop();
            Activity.Current = current;
        }

        if (!_logs)
        {
            return;
        }

        double ms = Milliseconds(e.Duration);
        switch (e.Kind)
        {
            case RunEventKind.RunSucceeded:
                Log.RunSucceeded(_engine, _runText, _pipeline, ms, e.Reason);
                break;
            case RunEventKind.RunCancelled:
                Log.RunCancelled(_engine, _runText, _pipeline, ms, e.Reason);
                break;
            default:
                Log.RunFailed(_engine, _runText, _pipeline, ms, _redactor.RedactOrNull(e.Reason));
                break;
        }
    }
}
