using System.Collections.Concurrent;
using System.Threading.Channels;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Sluice.Secrets;

namespace Sluice.Alerts;

/// <summary>Delivers raised alerts to their sinks in the background: deduplicated, with bounded retries, backoff and a timeout per attempt, each attempt recorded.</summary>
/// <remarks>
/// <para>
/// <see cref="Publish"/> only queues, so a run never waits for a sink and never fails because of one. One loop takes
/// the queue in order: it records each alert in the store (which drops an alert another process already raised under
/// the same key), then starts one delivery per sink that receives the kind, so a slow sink holds up no other.
/// </para>
/// <para>
/// Each sink gets the alerts in the order they were raised (step-failed before run-failed): its deliveries are chained.
/// A delivery runs through a Polly pipeline on the injected <see cref="TimeProvider"/>: exponential backoff between
/// attempts and a timeout around each. <see cref="DrainAsync"/> waits for everything up to a limit, then cancels
/// what is left, so a process ends promptly however its sinks behave.
/// </para>
/// </remarks>
public sealed class AlertDispatcher : IAlertPublisher, IAsyncDisposable
{
    // After giving up, sinks get this long to notice the cancellation so their last attempt is recorded.
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(1);
    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();

    private readonly AlertSettings _settings;
    private readonly IReadOnlyList<IAlertSink> _sinks;
    private readonly IAlertStore? _store;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    private readonly ResiliencePipeline _policy;
    private readonly Channel<Alert> _queue = Channel.CreateUnbounded<Alert>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _giveUp = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AlertDelivery> _ended = new();
    private readonly List<Task> _deliveries = [];
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private int _inProgress;
    private int _queued;
    private int _storeErrors;

    /// <summary>Creates a dispatcher and starts its delivery loop.</summary>
    /// <param name="settings">The validated alert settings: which kinds are raised, which sink receives which, retries and timeouts.</param>
    /// <param name="sinks">The sinks, by the names of <see cref="AlertSettings.Sinks"/>; a sink with no settings entry receives every kind.</param>
    /// <param name="store">Where alerts and attempts are recorded and deduplicated across processes; null records nothing.</param>
    /// <param name="time">The clock of timestamps, backoff delays, timeouts and the drain limit.</param>
    /// <param name="redactor">Masks secrets in every alert text and recorded error.</param>
    public AlertDispatcher(AlertSettings settings, IReadOnlyList<IAlertSink> sinks, IAlertStore? store, TimeProvider time, SecretRedactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(time);
        _settings = settings;
        _sinks = [.. sinks];
        _store = store;
        _time = time;
        _redactor = redactor ?? SecretRedactor.None;
        _policy = BuildPolicy(settings.Delivery, time, _giveUp.Token);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Gets the sinks alerts are delivered to.</summary>
    public IReadOnlyList<IAlertSink> Sinks => _sinks;

    /// <inheritdoc/>
    /// <remarks>Drops, without a trace, a kind the settings do not raise and an alert whose dedupe key this dispatcher has seen.</remarks>
    public void Publish(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!_settings.Raises(alert.Kind))
        {
            return;
        }

        lock (_gate)
        {
            if (!_seen.Add(alert.DedupeKey))
            {
                return;
            }
        }

        // Raised after the drain began (a late observer): nobody is waiting for it any more.
        if (_queue.Writer.TryWrite(Redact(alert)))
        {
            Interlocked.Increment(ref _queued);
        }
    }

    /// <summary>Records <paramref name="alert"/> and delivers it to every sink at once, kinds aside, waiting for the results: <c>alerts test</c>.</summary>
    public async Task<IReadOnlyList<AlertDelivery>> SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using CancellationTokenRegistration stop = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _giveUp);
        Task<AlertDelivery>[] deliveries = await StartAsync(Redact(alert), everySink: true).ConfigureAwait(false);
        return await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    /// <summary>Stops accepting alerts and waits up to <paramref name="limit"/> for every delivery; then gives up on the rest, which are recorded as abandoned.</summary>
    /// <param name="limit">How long to wait, by the dispatcher's clock.</param>
    /// <param name="cancellationToken">Gives up at once when cancelled (a second Ctrl-C).</param>
    public async Task<AlertDrainResult> DrainAsync(TimeSpan limit, CancellationToken cancellationToken = default)
    {
        _queue.Writer.TryComplete();
        int gaveUp = 0;
        try
        {
            await _loop.WaitAsync(limit, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            gaveUp = Volatile.Read(ref _inProgress) + Volatile.Read(ref _queued);
            await _giveUp.CancelAsync().ConfigureAwait(false);
            try
            {
                await _loop.WaitAsync(AbandonGrace, _time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A sink that ignores cancellation is left behind; the process is about to end.
            }
        }

        return new AlertDrainResult([.. _ended], gaveUp, Volatile.Read(ref _storeErrors));
    }

    /// <summary>Stops accepting alerts and cancels deliveries in progress without waiting for them.</summary>
    public ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _giveUp.Cancel();
        return ValueTask.CompletedTask;
    }

    private async Task LoopAsync()
    {
        await foreach (Alert alert in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            Interlocked.Decrement(ref _queued);
            try
            {
                await StartAsync(alert, everySink: false).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // StartAsync handles its own failures; nothing may stop the loop, or later alerts would be lost.
            }
        }

        Task[] all;
        lock (_gate)
        {
            all = [.. _deliveries];
        }

        await Task.WhenAll(all).ConfigureAwait(false);
    }

    private async Task<Task<AlertDelivery>[]> StartAsync(Alert alert, bool everySink)
    {
        long? id = 0;
        if (_store is not null)
        {
            try
            {
                id = await _store.TryRecordAlertAsync(alert, CancellationToken.None).ConfigureAwait(false);
                if (id is null)
                {
                    // Another process (or an earlier run of this command) raised it already, and delivered it.
                    return [];
                }
            }
            catch (Exception)
            {
                // Better delivered twice than never: deliver without a record.
                Interlocked.Increment(ref _storeErrors);
                id = null;
            }
        }

        var started = new List<Task<AlertDelivery>>();
        foreach (IAlertSink sink in _sinks)
        {
            if (everySink || (_settings.Sinks.TryGetValue(sink.Name, out AlertSinkSettings? routed) ? routed.Receives(alert.Kind) : true))
            {
                Interlocked.Increment(ref _inProgress);
                Task<AlertDelivery> delivery;
                lock (_gate)
                {
                    // After the sink's previous delivery, however that ended: a sink sees alerts in the order raised.
                    Task previous = _tails.GetValueOrDefault(sink.Name) ?? Task.CompletedTask;
                    delivery = previous.ContinueWith(_ => DeliverAsync(id, alert, sink), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
                    _tails[sink.Name] = delivery;
                    _deliveries.Add(delivery);
                }

                started.Add(delivery);
            }
        }

        return [.. started];
    }

    private async Task<AlertDelivery> DeliverAsync(long? id, Alert alert, IAlertSink sink)
    {
        CancellationToken giveUp = _giveUp.Token;
        long started = _time.GetTimestamp();
        int attempt = 0;
        AlertDeliveryOutcome outcome = AlertDeliveryOutcome.Abandoned;
        string? error = null;
        try
        {
            giveUp.ThrowIfCancellationRequested();
            await _policy.ExecuteAsync(
                async token =>
                {
                    attempt++;
                    DateTimeOffset at = _time.GetUtcNow();
                    long attemptStarted = _time.GetTimestamp();
                    try
                    {
                        await sink.SendAsync(alert, token).ConfigureAwait(false);
                        (outcome, error) = (AlertDeliveryOutcome.Delivered, null);
                    }
                    catch (Exception e)
                    {
                        (outcome, error) = Classify(e, token, giveUp);
                        throw;
                    }
                    finally
                    {
                        await RecordAsync(id, sink.Name, attempt, at, outcome, error, _time.GetElapsedTime(attemptStarted)).ConfigureAwait(false);
                    }
                },
                giveUp).ConfigureAwait(false);
        }
        catch (Exception) when (outcome != AlertDeliveryOutcome.Delivered)
        {
            if (giveUp.IsCancellationRequested && outcome != AlertDeliveryOutcome.Abandoned)
            {
                // Given up between attempts (or before the first): the next attempt that never ran says so.
                attempt++;
                (outcome, error) = (AlertDeliveryOutcome.Abandoned, $"gave up before attempt {attempt}: the process stopped waiting for alert deliveries");
                await RecordAsync(id, sink.Name, attempt, _time.GetUtcNow(), outcome, error, TimeSpan.Zero).ConfigureAwait(false);
            }
            else if (attempt == 0)
            {
                attempt = 1;
                error = "gave up before attempt 1: the process stopped waiting for alert deliveries";
                await RecordAsync(id, sink.Name, attempt, _time.GetUtcNow(), outcome, error, TimeSpan.Zero).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }

        var delivery = new AlertDelivery(alert, sink.Name, outcome, attempt, error, _time.GetElapsedTime(started));
        _ended.Enqueue(delivery);
        return delivery;
    }

    private (AlertDeliveryOutcome Outcome, string Error) Classify(Exception e, CancellationToken attempt, CancellationToken giveUp)
    {
        string error = e switch
        {
            _ when e is OperationCanceledException && giveUp.IsCancellationRequested => "abandoned: the process stopped waiting for alert deliveries",
            _ when e is OperationCanceledException && attempt.IsCancellationRequested =>
                $"no answer within the attempt timeout of {Execution.StepRunner.Format(_settings.Delivery.AttemptTimeout)}",
            AlertDeliveryException => e.Message,
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        AlertDeliveryOutcome outcome = e switch
        {
            OperationCanceledException when giveUp.IsCancellationRequested => AlertDeliveryOutcome.Abandoned,
            OperationCanceledException when attempt.IsCancellationRequested => AlertDeliveryOutcome.TimedOut,
            AlertDeliveryException { IsTransient: false } => AlertDeliveryOutcome.Rejected,
            _ => AlertDeliveryOutcome.Failed,
        };
        return (outcome, _redactor.Redact(error));
    }

    private async Task RecordAsync(long? id, string sink, int attempt, DateTimeOffset at, AlertDeliveryOutcome outcome, string? error, TimeSpan duration)
    {
        if (_store is null || id is not { } alertId)
        {
            return;
        }

        try
        {
            await _store.RecordDeliveryAttemptAsync(new AlertDeliveryAttempt(alertId, sink, attempt, at, outcome, error, duration), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _storeErrors);
        }
    }

    private Alert Redact(Alert alert)
    {
        if (_redactor.IsEmpty)
        {
            return alert;
        }

        return alert with
        {
            Title = _redactor.Redact(alert.Title),
            Message = _redactor.Redact(alert.Message),
            Details = alert.Details.Count == 0
                ? NoDetails
                : alert.Details.ToDictionary(d => d.Key, d => _redactor.Redact(d.Value), StringComparer.Ordinal),
        };
    }

    private static ResiliencePipeline BuildPolicy(AlertDeliverySettings delivery, TimeProvider time, CancellationToken giveUp)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (delivery.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = delivery.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = delivery.Backoff,
                MaxDelay = delivery.MaxBackoff,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && !giveUp.IsCancellationRequested && e is not AlertDeliveryException { IsTransient: false }),
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = delivery.AttemptTimeout });
        return builder.Build();
    }
}
