using Sluice.State;

namespace Sluice.Sqlite.Writing;

/// <summary>Appends events in order; the writer inserts the events of a whole batch with multi-row statements.</summary>
internal sealed class EventWrite(RunEvent[] events) : WriteCommand<bool>(isMultiStatement: events.Length > 1)
{
    public RunEvent[] Events => events;

    public override bool CanCoalesce => true;

    public override void Apply(WriterStatements statements)
    {
        statements.AppendEvents(events);
        SetResult(true);
    }
}
