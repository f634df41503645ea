using Microsoft.Data.Sqlite;
using Sluice.State;
using Sluice.State.Contracts;
using Xunit;

namespace Sluice.Sqlite.Tests;

public sealed class SqliteRunStoreTests : RunStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("state/runs.db");

    protected override async Task<IRunStore> CreateStoreAsync() => await SqliteRunStore.OpenAsync(DatabasePath);

    // The store must be closed before its directory goes, so cleanup follows the base class's disposal of it.
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Open_MissingDirectory_CreatesItAndAWalDatabase()
    {
        string path = _directory.File("a/b/c/runs.db");

        await using (SqliteRunStore store = await SqliteRunStore.OpenAsync(path))
        {
            Assert.Equal(path, store.Path);
        }

        Assert.True(File.Exists(path));
        Assert.Equal("wal", RawDatabase.Scalar(path, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Reopen_InNewInstance_ReadsEverythingBack()
    {
        RunRecord run = await CreateRunAsync(1, "ingest", "clean");
        await Store.TryTransitionStepAsync(run.Id, "ingest", StepStatus.Pending, StepStatus.Running, At(1), null);
        await Store.TryStartAttemptAsync(run.Id, "ingest", 1, At(1));
        var attempt = new StepAttemptRecord(run.Id, "ingest", 1, At(1), At(2), AttemptOutcome.Failed, "IOException", "disk full", "transient: IOException");
        await Store.TryCompleteAttemptAsync(attempt);
        await Store.AppendEventAsync(new RunEvent(run.Id, At(2), RunEventKind.StepRetrying, "ingest", 1, TimeSpan.FromSeconds(1), "IOException", "disk full", "retry in 2 s"));
        await Store.TryTransitionRunAsync(run.Id, RunStatus.Running, RunStatus.Failed, At(3), "step 'ingest' failed");

        RunRecord? storedRun = await Store.GetRunAsync(run.Id);
        IReadOnlyList<StepRecord> steps = await Store.GetStepsAsync(run.Id);
        IReadOnlyList<StepAttemptRecord> attempts = await Store.GetAttemptsAsync(run.Id);
        IReadOnlyList<RunEvent> events = await Store.GetEventsAsync(run.Id);
        await Store.DisposeAsync();

        await using SqliteRunStore reopened = await SqliteRunStore.OpenAsync(DatabasePath);
        Assert.Equal(storedRun, await reopened.GetRunAsync(run.Id));
        Assert.Equal(steps, await reopened.GetStepsAsync(run.Id));
        Assert.Equal([attempt], await reopened.GetAttemptsAsync(run.Id));
        Assert.Equal(events, await reopened.GetEventsAsync(run.Id));
        Assert.Equal(RunStatus.Failed, storedRun!.Status);
    }

    [Fact]
    public async Task Dispose_CommitsWritesThatWereNeverAwaited()
    {
        RunRecord run = NewRun(1, RunStatus.Pending);
        _ = Store.CreateRunAsync(run, NewSteps(run.Id, "ingest"));
        _ = Store.TryTransitionRunAsync(run.Id, RunStatus.Pending, RunStatus.Running, At(1), null);
        await Store.DisposeAsync();

        await using SqliteRunStore reopened = await SqliteRunStore.OpenAsync(DatabasePath);
        Assert.Equal(RunStatus.Running, (await reopened.GetRunAsync(run.Id))!.Status);
    }

    [Fact]
    public async Task Write_AfterDispose_Fails()
    {
        await Store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.AppendEventAsync(new RunEvent(RunId.New(At(0), 1), At(0), RunEventKind.RunStarted)));
    }

    [Fact]
    public async Task SecondInstance_OnSameFile_SeesCommittedData()
    {
        await using SqliteRunStore other = await SqliteRunStore.OpenAsync(DatabasePath);
        RunRecord mine = await CreateRunAsync(1, "ingest");
        RunRecord theirs = NewRun(2);
        await other.CreateRunAsync(theirs, NewSteps(theirs.Id, "clean"));

        Assert.Equal(mine, await other.GetRunAsync(mine.Id));
        Assert.Equal(theirs, await Store.GetRunAsync(theirs.Id));
        Assert.True(await other.TryTransitionRunAsync(mine.Id, RunStatus.Running, RunStatus.Cancelled, At(5), "stopped elsewhere"));
        Assert.False(await Store.TryTransitionRunAsync(mine.Id, RunStatus.Running, RunStatus.Succeeded, At(6), null));
        Assert.Equal(RunStatus.Cancelled, (await Store.GetRunAsync(mine.Id))!.Status);
    }

    [Fact]
    public async Task Stores_TimesAsUtcIsoTextAndStatusesAsLowerCaseText()
    {
        RunRecord run = NewRun(1, createdAt: new DateTimeOffset(2026, 11, 27, 12, 15, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567));
        await Store.CreateRunAsync(run, NewSteps(run.Id, "ingest"));
        await Store.TryTransitionStepAsync(run.Id, "ingest", StepStatus.Pending, StepStatus.UpstreamFailed, At(1), null);
        await Store.AppendEventAsync(new RunEvent(run.Id, At(1), RunEventKind.StepUpstreamFailed, "ingest", Duration: TimeSpan.FromTicks(15)));
        await Store.FlushAsync();

        Assert.Equal("2026-11-27T10:15:00.1234567Z", RawDatabase.Scalar(DatabasePath, "SELECT created_at FROM runs"));
        Assert.Equal("running", RawDatabase.Scalar(DatabasePath, "SELECT status FROM runs"));
        Assert.Equal("upstream-failed", RawDatabase.Scalar(DatabasePath, "SELECT status FROM steps"));
        Assert.Equal("step.upstream-failed", RawDatabase.Scalar(DatabasePath, "SELECT kind FROM events"));
        Assert.Equal(15L, RawDatabase.Scalar(DatabasePath, "SELECT duration_ticks FROM events"));
        Assert.Equal(run, await Store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task Open_DatabaseFromNewerSluice_IsRefusedNamingPathAndVersions()
    {
        await Store.DisposeAsync();
        int newer = SqliteRunStore.SchemaVersion + 5;
        RawDatabase.Scalar(DatabasePath, $"PRAGMA user_version = {newer};");

        // The failure comes through the task, not thrown from the call.
        Task<SqliteRunStore> opening = SqliteRunStore.OpenAsync(DatabasePath);
        UnsupportedSchemaVersionException error = await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(() => opening);

        Assert.Equal((DatabasePath, newer, SqliteRunStore.SchemaVersion), (error.Path, error.FoundVersion, error.SupportedVersion));
        Assert.Contains($"'{DatabasePath}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {SqliteRunStore.SchemaVersion}", error.Message, StringComparison.Ordinal);
        Assert.Equal(newer, RawDatabase.UserVersion(DatabasePath));
    }

    [Fact]
    public async Task Open_Twice_IsIdempotentAndRecordsTheVersion()
    {
        RunRecord run = await CreateRunAsync(1, "ingest");
        await Store.DisposeAsync();
        Assert.Equal(SqliteRunStore.SchemaVersion, RawDatabase.UserVersion(DatabasePath));

        await using (SqliteRunStore again = await SqliteRunStore.OpenAsync(DatabasePath))
        {
            Assert.Equal(run, await again.GetRunAsync(run.Id));
        }

        Assert.Equal(SqliteRunStore.SchemaVersion, RawDatabase.UserVersion(DatabasePath));
        Assert.Equal(4L, RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('runs', 'steps', 'attempts', 'events')"));
    }

    [Fact]
    public async Task TryStartAttempt_OfUnknownStep_FailsThatCallOnly()
    {
        RunRecord run = await CreateRunAsync(1, "ingest");

        Task<bool> unknown = Store.TryStartAttemptAsync(run.Id, "no-such-step", 1, At(1));
        Task<bool> known = Store.TryStartAttemptAsync(run.Id, "ingest", 1, At(1));

        SqliteException error = await Assert.ThrowsAsync<SqliteException>(() => unknown);
        Assert.Equal(19, error.SqliteErrorCode);
        Assert.True(await known);
        Assert.Equal(1, (await Store.GetStepsAsync(run.Id))[0].Attempts);
    }

    [Fact]
    public async Task MarkInterrupted_WhosePredicateThrows_FailsThatCallAndChangesNothing()
    {
        RunRecord run = await CreateRunAsync(1, "ingest");

        Task<IReadOnlyList<RunId>> marking = Store.MarkInterruptedAsync(_ => throw new InvalidOperationException("predicate broke"), At(5));
        Task<bool> after = Store.TryTransitionRunAsync(run.Id, RunStatus.Running, RunStatus.Succeeded, At(6), null);

        Assert.Equal("predicate broke", (await Assert.ThrowsAsync<InvalidOperationException>(() => marking)).Message);
        Assert.True(await after);
    }

    [Fact]
    public async Task Writer_WhenFileStaysLockedPastBusyTimeout_FailsThatWriteAndEveryLaterOne()
    {
        await Store.DisposeAsync();
        await using SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DatabasePath, BusyTimeout = TimeSpan.FromMilliseconds(200) });
        RunRecord run = NewRun(1);
        await store.CreateRunAsync(run, []);

        using (SqliteConnection locker = RawDatabase.Open(DatabasePath))
        {
            RawDatabase.Scalar(locker, "BEGIN EXCLUSIVE;");
            Task<bool> blocked = store.TryTransitionRunAsync(run.Id, RunStatus.Running, RunStatus.Succeeded, At(1), null);

            SqliteException error = await Assert.ThrowsAsync<SqliteException>(() => blocked);
            Assert.Equal(5, error.SqliteErrorCode);
            Assert.Same(error, await Assert.ThrowsAsync<SqliteException>(() => store.AppendEventAsync(new RunEvent(run.Id, At(2), RunEventKind.RunSucceeded))));
            // An event posted without a task is not lost silently: the flush that would make it durable fails.
            store.PostEvent(new RunEvent(run.Id, At(3), RunEventKind.RunSucceeded));
            Assert.Same(error, await Assert.ThrowsAsync<SqliteException>(() => store.FlushAsync()));
            RawDatabase.Scalar(locker, "ROLLBACK;");
        }

        // The failed write was rolled back: the file holds what was committed before it.
        Assert.Equal("running", RawDatabase.Scalar(DatabasePath, "SELECT status FROM runs"));
    }

    [Fact]
    public async Task Open_WithInvalidOptions_NamesTheSetting()
    {
        ArgumentException empty = await Assert.ThrowsAsync<ArgumentException>(() => SqliteRunStore.OpenAsync(" "));
        Assert.Contains("Path", empty.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DatabasePath, BusyTimeout = TimeSpan.Zero }));
        ArgumentOutOfRangeException delay = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DatabasePath, CommitDelay = TimeSpan.FromMilliseconds(-1) }));
        Assert.Contains("CommitDelay", delay.Message, StringComparison.Ordinal);
    }
}
