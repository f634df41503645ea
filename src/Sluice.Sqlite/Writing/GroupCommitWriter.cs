using Microsoft.Data.Sqlite;

namespace Sluice.Sqlite.Writing;

/// <summary>Owns the writer connection: callers queue commands, one thread commits everything queued so far in one transaction (a multi-statement command in one of its own).</summary>
/// <remarks>
/// Group commit is what makes un-awaited writes cheap: a commit costs the same for one statement or ten thousand, so
/// the thread takes the whole queue each time round. Commands run in queue order, which is call order, so what is
/// committed is always a prefix of what was written. After an infrastructure error (disk full, corruption, a lock
/// held past the busy timeout) the writer stops: the failed batch and every later command fail with that error
/// rather than wait forever.
/// </remarks>
internal sealed class GroupCommitWriter
{
    private const int SqliteConstraint = 19;

    /// <summary>How many commands may wait for the writer before a caller waits for it to take them.</summary>
    /// <remarks>
    /// A producer faster than the disk (a run of no-op steps) would otherwise queue the whole run: every queued command
    /// and its task outlives the garbage collections of that time, and copying them costs the producer and pauses the
    /// writer. Past this many the caller waits until the writer takes the queue, a wait it would have spent on the final
    /// flush anyway; the queue is still committed whole, as one transaction.
    /// </remarks>
    internal const int MaxQueued = 4096;

    private readonly object _gate = new();
    private readonly WriterStatements _statements;
    private readonly WriteCoalescer _coalescer = new();
    private readonly Action<WriteCommand> _applyOne;
    private readonly Action _wake;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<WriteCommand> _queue = [];
    private List<WriteCommand> _spare = [];
    private int _inFlight;
    private bool _writerWaiting;
    private bool _lingering;
    private bool _urgentQueued;
    private long _lastCommitAt = long.MinValue / 2;
    private int _producersWaiting;
    private bool _closing;
    private Exception? _failure;
    private long _transactionsCommitted;

    public GroupCommitWriter(WriterStatements statements, string name)
    {
        _statements = statements;
        _applyOne = Apply;
        _wake = Wake;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>Gets or sets a callback run on the writer thread between taking a batch and committing it, so tests can hold the writer there.</summary>
    public Action? BatchTaken { get; set; }

    /// <summary>Gets how long a write from a command thread may wait after the last commit, to be committed with the ones that follow it; zero commits every batch at once.</summary>
    /// <remarks>
    /// A chain of command steps writes a few records a step, every few milliseconds, and nobody waits for them: the
    /// coordinator tracks their tasks instead (see <see cref="Sluice.Execution.LaneThreads.IsDeferringWakes"/>). One commit
    /// per step cost an fsync of each folder a file was published into (<c>BeforeCommit</c>), and log pages written again
    /// for every step, on the disk the step's own output fsync waits on. Anything else is committed at once: a write
    /// from any other thread, a multi-statement one, and a flush, which takes the lingering writes along. A kill loses
    /// at most this much more of the run's records, and the steps they recorded run again.
    /// </remarks>
    public TimeSpan CommitDelay { get; init; }

    /// <summary>Gets or sets who copies the log into the database, told the pages each commit wrote; none leaves checkpoints to SQLite.</summary>
    public WalCheckpointer? Checkpointer { get; init; }

    /// <summary>Gets whether the writer thread waits for commands, so tests can start from that state.</summary>
    internal bool IsWaiting
    {
        get
        {
            lock (_gate)
            {
                return _writerWaiting;
            }
        }
    }

    /// <summary>Gets how many transactions the writer has committed.</summary>
    public long TransactionsCommitted => Interlocked.Read(ref _transactionsCommitted);

    /// <summary>Starts the thread without waiting for it: commands queue meanwhile and commit once it runs.</summary>
    /// <remarks>
    /// <see cref="Thread.Start()"/> returns only once the new thread runs, which on a busy two-core machine took 3-8 ms
    /// (the other core planning or reading checkpoints) on the thread that opened the store, the one every later step
    /// waits behind. A pool thread pays that wait instead (<see cref="Sluice.Execution.PooledThreadStart"/>).
    /// </remarks>
    public void Start() => Sluice.Execution.PooledThreadStart.Start(_thread, error =>
    {
        // No thread, so nothing will ever commit: fail what is queued and every later call, as after a database error.
        FailEverything([], 0, error);
        Close();
    });

    /// <summary>Queues a command; its task completes when the transaction holding it commits.</summary>
    public Task<T> Enqueue<T>(WriteCommand<T> command)
    {
        // Made before the command is queued, so the writer never completes a command whose task does not exist yet.
        Task<T> task = command.Task;
        return Add(command) is { } refused ? Task.FromException<T>(refused) : task;
    }

    /// <summary>Queues a command nobody waits for: it commits like any other, and a writer failure still fails the next flush.</summary>
    public void Post(WriteCommand command) => _ = Add(command);

    // Queues the command, or returns why it cannot be.
    private Exception? Add(WriteCommand command)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return _failure;
            }

            if (_closing)
            {
                return new ObjectDisposedException(nameof(SqliteRunStore));
            }

            while (_queue.Count >= MaxQueued && _failure is null && !_closing && Thread.CurrentThread != _thread)
            {
                // A wake this thread deferred would come only after this wait: the writer must take the queue now.
                Monitor.PulseAll(_gate);
                _producersWaiting++;
                Monitor.Wait(_gate);
                _producersWaiting--;
            }

            if (_failure is not null)
            {
                return _failure;
            }

            _queue.Add(command);
            bool lazy = CommitDelay > TimeSpan.Zero && command is { IsWrite: true, IsMultiStatement: false } && Sluice.Execution.LaneThreads.IsDeferringWakes;
            if (!lazy)
            {
                _urgentQueued = true;
            }

            // A thread that is about to start a program wakes the writer once it waits for it (LaneThreads.DeferWake).
            if (_writerWaiting && !Sluice.Execution.LaneThreads.DeferWake(_wake))
            {
                Monitor.Pulse(_gate);
            }
            else if (_lingering && !lazy)
            {
                Monitor.Pulse(_gate);
            }
        }

        return null;
    }

    // A deferred wake: by now the writer may be committing, or even waiting again with an empty queue, when this is harmless.
    private void Wake()
    {
        lock (_gate)
        {
            if (_writerWaiting)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Returns a task that completes when everything queued before this call has committed.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return Task.FromException(_failure);
            }

            // Nothing queued and nothing being committed: every earlier write has already completed.
            if (_queue.Count == 0 && _inFlight == 0)
            {
                return Task.CompletedTask;
            }
        }

        return Enqueue(WriteCommand<bool>.Marker(true));
    }

    /// <summary>Commits what is queued, stops the thread and closes the connection; a writer failure is not rethrown here.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _closing = true;
            Monitor.PulseAll(_gate);
        }

        return _stopped.Task;
    }

    private void Run()
    {
        try
        {
            while (TakeBatch() is { } batch)
            {
                int committed = 0;
                try
                {
                    BatchTaken?.Invoke();
                    while (committed < batch.Count)
                    {
                        int end = TransactionEnd(batch, committed);
                        Commit(batch, committed, end);
                        for (int i = committed; i < end; i++)
                        {
                            batch[i].Complete();
                        }

                        committed = end;
                    }
                }
                catch (Exception error)
                {
                    FailEverything(batch, committed, error);
                    return;
                }

                // Outside any transaction, and after the batch's callers are on their way. An attempt that meets the other
                // thread's checkpoint, or a reader still on old pages, loses nothing (the log keeps every page): the
                // checkpointer says when to try again.
                if (Checkpointer?.RestartWanted == true)
                {
                    Checkpointer.LogCheckpointed(_statements.CheckpointLog());
                }

                batch.Clear();
                lock (_gate)
                {
                    _inFlight = 0;
                    _spare = batch;
                    _lastCommitAt = Environment.TickCount64;
                }
            }
        }
        finally
        {
            Close();
        }
    }

    private void Close()
    {
        _statements.Dispose();
        _statements.Connection.Dispose();
        _stopped.TrySetResult();
    }

    private List<WriteCommand>? TakeBatch()
    {
        lock (_gate)
        {
            while (!_closing)
            {
                if (_queue.Count == 0)
                {
                    _writerWaiting = true;
                    Monitor.Wait(_gate);
                    _writerWaiting = false;
                    continue;
                }

                int linger = _urgentQueued || _producersWaiting > 0 ? 0 : LingerLeft();
                if (linger == 0)
                {
                    break;
                }

                _lingering = true;
                Monitor.Wait(_gate, linger);
                _lingering = false;
            }

            if (_queue.Count == 0)
            {
                return null;
            }

            _urgentQueued = false;
            List<WriteCommand> batch = _queue;
            _queue = _spare;
            _spare = [];
            _inFlight = batch.Count;
            if (_producersWaiting > 0)
            {
                Monitor.PulseAll(_gate);
            }

            return batch;
        }
    }

    // Milliseconds until lingering writes are due: CommitDelay after the last commit. A monitor's timed wait is real
    // time, so this reads the clock; tests make the delay long rather than fake it.
    private int LingerLeft() =>
        (int)Math.Clamp(_lastCommitAt + (long)CommitDelay.TotalMilliseconds - Environment.TickCount64, 0, int.MaxValue);

    // Where the transaction starting at batch[start] ends: usually with the batch, but a multi-statement command gets a
    // transaction of its own. Its savepoint copies every page that existed when it began into a journal in memory before
    // SQLite may write that page to the log early, and a 10,000-step run's creation leaves thousands of dirty pages: when
    // the run's first events came in the same batch, their savepoint copied ~9 MB of them (2,300 page faults of fresh
    // memory in a no-op re-run). Committed first, those pages are clean and never copied. Such commands come a few per
    // run (a run's creation, its first events, its metrics), so the extra commits cost nothing measurable.
    private static int TransactionEnd(List<WriteCommand> batch, int start)
    {
        if (batch[start] is { IsWrite: true, IsMultiStatement: true })
        {
            return start + 1;
        }

        int end = start + 1;
        while (end < batch.Count && !(batch[end] is { IsWrite: true, IsMultiStatement: true }))
        {
            end++;
        }

        return end;
    }

    private void Commit(List<WriteCommand> batch, int start, int end)
    {
        int firstWrite = start;
        while (firstWrite < end && !batch[firstWrite].IsWrite)
        {
            firstWrite++;
        }

        if (firstWrite == end)
        {
            // Only markers: nothing to commit.
            return;
        }

        _statements.Begin();
        try
        {
            for (int i = start; i < end;)
            {
                WriteCommand command = batch[i];
                if (!command.CanCoalesce)
                {
                    if (command.IsWrite)
                    {
                        Apply(command);
                    }

                    i++;
                    continue;
                }

                // Up to the next command that could touch the same rows in another way: markers do not end a segment.
                int segmentEnd = i + 1;
                while (segmentEnd < end && (batch[segmentEnd].CanCoalesce || !batch[segmentEnd].IsWrite))
                {
                    segmentEnd++;
                }

                if (segmentEnd - i == 1)
                {
                    Apply(command);
                }
                else
                {
                    _coalescer.Apply(batch, i, segmentEnd, _statements, _applyOne);
                }

                i = segmentEnd;
            }

            _statements.Commit();
            Interlocked.Increment(ref _transactionsCommitted);
            Checkpointer?.Committed(_statements.TakePagesWritten());
        }
        catch
        {
            _statements.RollbackIfOpen();
            throw;
        }
    }

    private void Apply(WriteCommand command)
    {
        if (!command.IsMultiStatement)
        {
            // A failed statement undoes only itself (SQLite's ABORT), so the rest of the batch stands.
            try
            {
                command.Apply(_statements);
            }
            catch (Exception error) when (IsCommandError(error))
            {
                command.Reject(error);
            }

            return;
        }

        _statements.Savepoint();
        try
        {
            command.Apply(_statements);
            _statements.ReleaseSavepoint();
        }
        catch (Exception error) when (IsCommandError(error))
        {
            _statements.RollbackToSavepoint();
            command.Reject(error);
        }
    }

    // A constraint violation or an exception from the caller's own code is that call's fault and fails only its
    // task; any other SQLite error is the database's, and no later write can be trusted to commit.
    internal static bool IsCommandError(Exception error) =>
        error is not SqliteException || error is SqliteException { SqliteErrorCode: SqliteConstraint };

    // Commands before the failed transaction committed and were completed; the rest of the batch and the queue fail.
    private void FailEverything(List<WriteCommand> batch, int committed, Exception error)
    {
        List<WriteCommand> rest;
        lock (_gate)
        {
            _failure = error;
            rest = _queue;
            _queue = [];
            _inFlight = 0;
            Monitor.PulseAll(_gate);
        }

        for (int i = committed; i < batch.Count; i++)
        {
            batch[i].Fail(error);
        }

        foreach (WriteCommand command in rest)
        {
            command.Fail(error);
        }
    }
}
