using Microsoft.Extensions.Logging;
using Sluice.State;

namespace Sluice.Alerts;

/// <summary>Lets a running step raise alerts (<c>ctx.Alerts.Raise(AlertKind.DataQuality, "3 missing trading days: ...")</c>); delivery happens in the background.</summary>
/// <remarks>
/// A run raises each kind once: a second alert of the same kind in the same run, from this step or another, is dropped.
/// Every alert is also written to the step's log, so it is seen even where no sink is configured.
/// </remarks>
public sealed partial class StepAlerts
{
    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();

    private readonly IAlertPublisher? _publisher;
    private readonly string _pipeline;
    private readonly RunId _run;
    private readonly string _step;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal StepAlerts(IAlertPublisher? publisher, string pipeline, RunId run, string step, TimeProvider time, ILogger logger)
    {
        _publisher = publisher;
        _pipeline = pipeline;
        _run = run;
        _step = step;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets alerts that go nowhere, for a context built outside a run.</summary>
    internal static StepAlerts None { get; } = new(null, "", default, "", TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>Raises an alert of <paramref name="kind"/> about this step; returns at once and never fails because of a sink.</summary>
    /// <param name="kind">A kind steps raise: <see cref="AlertKind.DataQuality"/>, <see cref="AlertKind.ModelDivergence"/>, or one of the step's own (<see cref="AlertKind.Custom"/>).</param>
    /// <param name="message">What happened and what to look at, for a person.</param>
    /// <param name="title">One line for a subject or chat heading; by default the kind, the pipeline and the step.</param>
    /// <param name="details">Further facts by name (ticker, count); shown by sinks that have room for them.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is one Sluice raises itself, such as <c>run-failed</c>.</exception>
    public void Raise(AlertKind kind, string message, string? title = null, IReadOnlyDictionary<string, string>? details = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (kind.Name is null)
        {
            throw new ArgumentException("The alert kind is empty: use AlertKind.DataQuality, AlertKind.ModelDivergence or AlertKind.Custom(\"name\").", nameof(kind));
        }

        if (kind.IsRaisedBySluice)
        {
            throw new ArgumentException($"'{kind}' alerts are raised by Sluice itself: a step raises data-quality, model-divergence or a kind of its own (AlertKind.Custom(\"name\")).", nameof(kind));
        }

        LogRaised(_logger, kind.Name, message);
        _publisher?.Publish(new Alert(
            kind, _pipeline, _run, _step, title ?? $"{kind} in {_pipeline}, step '{_step}'", message, _time.GetUtcNow(), details ?? NoDetails));
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "alert {Kind}: {Message}")]
    private static partial void LogRaised(ILogger logger, string kind, string message);
}
