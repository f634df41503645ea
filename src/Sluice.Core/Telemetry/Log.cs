using Microsoft.Extensions.Logging;

namespace Sluice.Telemetry;

/// <summary>Every message Sluice itself logs, with a fixed event id: 1xxx runs, 2xxx steps, 3xxx the host, 4xxx telemetry export.</summary>
/// <remarks>
/// Ids and property names are a contract (docs/file-formats.md, "Log events"): never renumber or reuse one; add new ones.
/// Every run and step message carries <c>{RunId}</c>, and step messages <c>{Step}</c> and <c>{Attempt}</c>, as properties.
/// </remarks>
internal static partial class Log
{
    /// <summary>The logger category of engine messages.</summary>
    public const string EngineCategory = "Sluice";

    /// <summary>The logger category of the lines steps log through <c>ctx.Logger</c>.</summary>
    public const string StepCategory = "Sluice.Step";

    [LoggerMessage(1001, LogLevel.Information, "Run {RunId} of pipeline {Pipeline} started: {Reason}")]
    public static partial void RunStarted(ILogger logger, string runId, string pipeline, string? reason);

    [LoggerMessage(1002, LogLevel.Information, "Run {RunId} of pipeline {Pipeline} succeeded in {DurationMs} ms: {Reason}")]
    public static partial void RunSucceeded(ILogger logger, string runId, string pipeline, double durationMs, string? reason);

    [LoggerMessage(1003, LogLevel.Error, "Run {RunId} of pipeline {Pipeline} failed after {DurationMs} ms: {Reason}")]
    public static partial void RunFailed(ILogger logger, string runId, string pipeline, double durationMs, string? reason);

    [LoggerMessage(1004, LogLevel.Warning, "Run {RunId} of pipeline {Pipeline} was cancelled after {DurationMs} ms: {Reason}")]
    public static partial void RunCancelled(ILogger logger, string runId, string pipeline, double durationMs, string? reason);

    [LoggerMessage(2001, LogLevel.Information, "Step {Step} attempt {Attempt} of run {RunId} started{Note}")]
    public static partial void StepStarted(ILogger logger, string runId, string step, int attempt, string note);

    [LoggerMessage(2002, LogLevel.Information, "Step {Step} attempt {Attempt} of run {RunId} succeeded in {DurationMs} ms{Note}")]
    public static partial void StepSucceeded(ILogger logger, string runId, string step, int attempt, double durationMs, string note);

    [LoggerMessage(2003, LogLevel.Warning, "Step {Step} attempt {Attempt} of run {RunId} failed and will be retried ({Reason}): {ErrorType}: {Error}")]
    public static partial void StepRetrying(ILogger logger, string runId, string step, int attempt, string? reason, string? errorType, string? error);

    [LoggerMessage(2004, LogLevel.Error, "Step {Step} attempt {Attempt} of run {RunId} failed for good ({Reason}): {ErrorType}: {Error}")]
    public static partial void StepFailed(ILogger logger, string runId, string step, int attempt, string? reason, string? errorType, string? error);

    [LoggerMessage(2005, LogLevel.Information, "Step {Step} of run {RunId} reused: {Reason}")]
    public static partial void StepReused(ILogger logger, string runId, string step, string? reason);

    [LoggerMessage(2006, LogLevel.Debug, "Step {Step} of run {RunId} skipped: {Reason}")]
    public static partial void StepSkipped(ILogger logger, string runId, string step, string? reason);

    [LoggerMessage(2007, LogLevel.Warning, "Step {Step} of run {RunId} not run: {Reason}")]
    public static partial void StepUpstreamFailed(ILogger logger, string runId, string step, string? reason);

    [LoggerMessage(2008, LogLevel.Warning, "Step {Step} attempt {Attempt} of run {RunId} cancelled: {Reason}")]
    public static partial void StepCancelled(ILogger logger, string runId, string step, int attempt, string? reason);

    [LoggerMessage(2009, LogLevel.Debug, "Step {Step} attempt {Attempt} of run {RunId} stored its output {ArtifactHash} ({Bytes} bytes){Published}")]
    public static partial void StepOutputStored(ILogger logger, string runId, string step, int attempt, string artifactHash, long bytes, string published);

    [LoggerMessage(2010, LogLevel.Debug, "Step {Step} attempt {Attempt} of run {RunId} recorded {Measurement} = {Value} {Unit}")]
    public static partial void MeasurementRecorded(ILogger logger, string runId, string step, int attempt, string measurement, double value, string? unit);

    [LoggerMessage(3001, LogLevel.Information, "Waiting for the run of {Holder} to finish (lock {LockFile})")]
    public static partial void WaitingForLock(ILogger logger, string holder, string lockFile);

    [LoggerMessage(3002, LogLevel.Warning, "Run {RunId} was interrupted (its process died); marked interrupted")]
    public static partial void RunInterrupted(ILogger logger, string runId);

    [LoggerMessage(3003, LogLevel.Information, "Removed {Count} temporary file(s) left by an interrupted run")]
    public static partial void TemporaryFilesRemoved(ILogger logger, int count);

    [LoggerMessage(4001, LogLevel.Information, "Serving Prometheus metrics at {Url}")]
    public static partial void PrometheusListening(ILogger logger, string url);

    [LoggerMessage(4002, LogLevel.Information, "Exporting metrics and traces over OTLP ({Protocol}) to {Endpoint}")]
    public static partial void OtlpExporting(ILogger logger, string protocol, string endpoint);

    [LoggerMessage(4003, LogLevel.Warning, "Telemetry export could not start, the run goes on without it: {Reason}")]
    public static partial void ExportFailed(ILogger logger, string reason);
}
