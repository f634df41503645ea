namespace Sluice.Alerts;

/// <summary>A sink whose answers a test scripts: fail, refuse, hang until cancelled, or deliver; it keeps every alert it was sent.</summary>
internal sealed class ScriptedSink(string name, params ScriptedSink.Answer[] answers) : IAlertSink
{
    private readonly Lock _gate = new();
    private readonly List<Alert> _received = [];
    private readonly List<Alert> _delivered = [];
    private int _calls;

    public enum Answer
    {
        Deliver,
        Fail,
        Refuse,
        Hang,
    }

    public string Name => name;

    public string Description => $"scripted {name}";

    /// <summary>Gets every alert an attempt was made with, delivered or not.</summary>
    public IReadOnlyList<Alert> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Gets the alerts delivered.</summary>
    public IReadOnlyList<Alert> Delivered
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered];
            }
        }
    }

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        Answer answer;
        lock (_gate)
        {
            _received.Add(alert);
            answer = _calls < answers.Length ? answers[_calls] : Answer.Deliver;
            _calls++;
        }

        switch (answer)
        {
            case Answer.Fail:
                throw new AlertDeliveryException($"{name} is down (call {_calls})");
            case Answer.Refuse:
                throw new AlertDeliveryException($"{name} refuses", isTransient: false);
            case Answer.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
                break;
        }

        lock (_gate)
        {
            _delivered.Add(alert);
        }
    }
}
