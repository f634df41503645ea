using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Sluice.Telemetry;

public sealed class LogTests
{
    /// <summary>The published ids: a change here breaks dashboards and alert rules built on them, so it must be deliberate.</summary>
    private static readonly (int Id, string Name, LogLevel Level)[] Published =
    [
        (1001, "RunStarted", LogLevel.Information),
        (1002, "RunSucceeded", LogLevel.Information),
        (1003, "RunFailed", LogLevel.Error),
        (1004, "RunCancelled", LogLevel.Warning),
        (2001, "StepStarted", LogLevel.Information),
        (2002, "StepSucceeded", LogLevel.Information),
        (2003, "StepRetrying", LogLevel.Warning),
        (2004, "StepFailed", LogLevel.Error),
        (2005, "StepReused", LogLevel.Information),
        (2006, "StepSkipped", LogLevel.Debug),
        (2007, "StepUpstreamFailed", LogLevel.Warning),
        (2008, "StepCancelled", LogLevel.Warning),
        (2009, "StepOutputStored", LogLevel.Debug),
        (2010, "MeasurementRecorded", LogLevel.Debug),
        (3001, "WaitingForLock", LogLevel.Information),
        (3002, "RunInterrupted", LogLevel.Warning),
        (3003, "TemporaryFilesRemoved", LogLevel.Information),
        (4001, "PrometheusListening", LogLevel.Information),
        (4002, "OtlpExporting", LogLevel.Information),
        (4003, "ExportFailed", LogLevel.Warning),
    ];

    [Fact]
    public void EventIds_AreFixed_OneHomeWithNoDuplicates()
    {
        (int Id, string Name, LogLevel Level)[] declared = [.. typeof(Log).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Attribute!.EventId, x.Method.Name, x.Attribute.Level))
            .OrderBy(x => x.EventId)];

        Assert.Equal(Published, declared);
    }

    [Fact]
    public void EngineMessages_TemplatesNameRunAndStepProperties()
    {
        foreach (MethodInfo method in typeof(Log).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            LoggerMessageAttribute? attribute = method.GetCustomAttribute<LoggerMessageAttribute>();
            if (attribute is null || attribute.EventId >= 3000)
            {
                continue;
            }

            Assert.Contains("{RunId}", attribute.Message, StringComparison.Ordinal);
            if (attribute.EventId >= 2000)
            {
                Assert.Contains("{Step}", attribute.Message, StringComparison.Ordinal);
            }
        }
    }
}
