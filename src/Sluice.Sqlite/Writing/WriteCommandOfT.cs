namespace Sluice.Sqlite.Writing;

/// <summary>A <see cref="WriteCommand"/> whose caller gets a <typeparamref name="TResult"/>, such as a compare-and-set's outcome.</summary>
/// <remarks>The store's hot calls derive from this with typed fields, so the writer can merge them within a batch (<see cref="WriteCoalescer"/>).</remarks>
internal class WriteCommand<TResult> : WriteCommand
{
    // Continuations run elsewhere so a caller's code never runs on, or blocks, the writer thread. Made when the caller
    // asks for the task, before the command is queued: a posted command nobody waits for gets none (two objects saved
    // per event of a run).
    private TaskCompletionSource<TResult>? _completion;
    private readonly Func<WriterStatements, TResult>? _apply;
    private readonly bool _isMultiStatement;
    private readonly bool _isWrite;
    private TResult? _result;
    private Exception? _rejection;

    private WriteCommand(Func<WriterStatements, TResult>? apply, bool isMultiStatement)
    {
        _apply = apply;
        _isMultiStatement = isMultiStatement;
        _isWrite = apply is not null;
    }

    /// <summary>Creates a write whose statements a derived class runs in <see cref="Apply"/>.</summary>
    private protected WriteCommand(bool isMultiStatement)
    {
        _isMultiStatement = isMultiStatement;
        _isWrite = true;
    }

    /// <summary>Gets the task the caller awaits; only the caller asks for it, and only before queuing the command.</summary>
    public Task<TResult> Task => (_completion ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public override bool IsWrite => _isWrite;

    public override bool IsMultiStatement => _isMultiStatement;

    /// <summary>Creates a command that runs one statement, or several whose first is the only one that can fail on the caller's input.</summary>
    public static WriteCommand<TResult> Single(Func<WriterStatements, TResult> apply) => new(apply, isMultiStatement: false);

    /// <summary>Creates a command whose statements are undone together if any of them fails.</summary>
    public static WriteCommand<TResult> Multi(Func<WriterStatements, TResult> apply) => new(apply, isMultiStatement: true);

    /// <summary>Creates a marker that completes with <paramref name="result"/> once every command queued before it has committed.</summary>
    public static WriteCommand<TResult> Marker(TResult result) => new(null, isMultiStatement: false) { _result = result };

    public override void Apply(WriterStatements statements)
    {
        if (_apply is not null)
        {
            _result = _apply(statements);
        }
    }

    /// <summary>Keeps the result a merged statement decided for this command, until the commit.</summary>
    public void SetResult(TResult result) => _result = result;

    public override void Reject(Exception error) => _rejection = error;

    public override void Complete()
    {
        if (_rejection is not null)
        {
            _completion?.TrySetException(_rejection);
        }
        else
        {
            _completion?.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception error) => _completion?.TrySetException(error);
}
