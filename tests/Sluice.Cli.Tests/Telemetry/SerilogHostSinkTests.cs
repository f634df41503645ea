using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Sluice.Cli.Tests.Telemetry;

/// <summary>A user plugs Serilog into their app's services; Sluice forwards its own messages and the steps' lines to it, structured.</summary>
public sealed class SerilogHostSinkTests : IDisposable
{
    private readonly TempProject _project = new(withSample: false);

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Run_AppRegistersSerilog_EngineMessagesAndStepLinesArriveWithRunStepAndAttempt()
    {
        var sink = new ListSink();
        Logger serilog = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        await using ServiceProvider services = new ServiceCollection()
            .AddLogging(b => b.AddSerilog(serilog, dispose: true))
            .BuildServiceProvider();
        var cli = new TelemetryCli(_project.Root, services);

        var (exit, output, error) = await cli.RunAsync(() => TelemetryCli.Measured("serilogged"), "run", "-j", "1");

        Assert.True(exit == ExitCodes.Success, output + error);
        string runId = Path.GetFileName(Assert.Single(Directory.GetDirectories(_project.PathTo("logs"))));

        // Engine messages: category Sluice, the fixed event id, and the run, step and attempt as properties.
        LogEvent retrying = Assert.Single(sink.Events, e => Id(e) == 2003);
        Assert.Equal(LogEventLevel.Warning, retrying.Level);
        Assert.Equal(("Sluice", runId, "load", 1), (Scalar(retrying, "SourceContext"), Scalar(retrying, "RunId"), Scalar(retrying, "Step"), Scalar(retrying, "Attempt")));
        Assert.Equal([1001, 2001, 2003, 2001, 2009, 2002, 2001, 2009, 2002, 1002], sink.Events.Where(e => Scalar(e, "SourceContext") as string == "Sluice" && Id(e) is not (2010)).Select(Id));

        // The steps' own lines: category Sluice.Step, their own properties and the attempt's.
        LogEvent[] lines = [.. sink.Events.Where(e => Scalar(e, "SourceContext") as string == "Sluice.Step")];
        Assert.Equal(
            ["load 1 Information Read 5105 rows", "load 1 Warning source slow, giving up on attempt 1", "load 2 Information Read 5105 rows", "measure 1 Error fit had a problem with 5105 rows"],
            lines.Select(e => $"{Scalar(e, "Step")} {Scalar(e, "Attempt")} {e.Level} {e.RenderMessage()}"));
        Assert.All(lines, e => Assert.Equal(runId, Scalar(e, "RunId")));
        Assert.All(lines, e => Assert.Equal("serilogged", Scalar(e, "Pipeline")));
        Assert.Equal(5105, Scalar(lines[0], "Rows"));
        Assert.Equal("Read {Rows} rows", lines[0].MessageTemplate.Text);
        Assert.Equal("model wobble", lines[3].Exception?.Message);
        Assert.Equal(17, Id(lines[1]));
    }

    private static object? Scalar(LogEvent e, string property) =>
        e.Properties.TryGetValue(property, out LogEventPropertyValue? value) && value is ScalarValue scalar ? scalar.Value : null;

    private static int? Id(LogEvent e) =>
        e.Properties.TryGetValue("EventId", out LogEventPropertyValue? value) && value is StructureValue s
            ? s.Properties.FirstOrDefault(p => p.Name == "Id")?.Value is ScalarValue { Value: int id } ? id : null
            : null;

    /// <summary>Keeps every Serilog event in memory.</summary>
    private sealed class ListSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyList<LogEvent> Events => [.. _events];

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
