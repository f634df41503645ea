namespace Sluice.Sqlite.Writing;

/// <summary>One queued call to the store: the statements it runs inside the writer's transaction, and the task its caller awaits.</summary>
internal abstract class WriteCommand
{
    /// <summary>Gets whether the command changes the database; a flush marker does not, so a batch of markers needs no transaction.</summary>
    public abstract bool IsWrite { get; }

    /// <summary>Gets whether the command runs several statements that must stand or fall together, so it gets its own savepoint.</summary>
    public abstract bool IsMultiStatement { get; }

    /// <summary>Gets whether the writer may merge this command with its neighbours in a batch (see <see cref="WriteCoalescer"/>).</summary>
    public virtual bool CanCoalesce => false;

    /// <summary>Runs the command's statements inside the open transaction and keeps its result until the commit.</summary>
    public abstract void Apply(WriterStatements statements);

    /// <summary>Records that this command alone failed (a constraint, the caller's callback); its task fails after the commit.</summary>
    public abstract void Reject(Exception error);

    /// <summary>Completes the caller's task with the kept result; called only once the transaction has committed.</summary>
    public abstract void Complete();

    /// <summary>Fails the caller's task because the transaction holding the command did not commit.</summary>
    public abstract void Fail(Exception error);
}
