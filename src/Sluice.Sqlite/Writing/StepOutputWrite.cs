using Sluice.State;

namespace Sluice.Sqlite.Writing;

/// <summary>Records the artifact a step produced or reused in a run; touches only the step row's artifact columns.</summary>
internal sealed class StepOutputWrite(RunId run, string step, string hash, long size) : WriteCommand<bool>(isMultiStatement: false)
{
    public override bool CanCoalesce => true;

    public override void Apply(WriterStatements statements)
    {
        statements.RecordStepOutput(run, step, hash, size);
        SetResult(true);
    }
}
