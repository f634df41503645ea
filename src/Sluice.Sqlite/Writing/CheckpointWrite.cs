using Sluice.State;

namespace Sluice.Sqlite.Writing;

/// <summary>Inserts or replaces a checkpoint; touches only the checkpoints table.</summary>
internal sealed class CheckpointWrite(CheckpointRecord checkpoint) : WriteCommand<bool>(isMultiStatement: false)
{
    public override bool CanCoalesce => true;

    public override void Apply(WriterStatements statements)
    {
        statements.RecordCheckpoint(checkpoint);
        SetResult(true);
    }
}
