using Sluice.State;
using Xunit;

namespace Sluice.Sqlite.Tests.Writing;

/// <summary>The log is copied into the database by the checkpointer thread, never inside a commit the caller waits for.</summary>
public sealed class WalCheckpointerTests : IDisposable
{
    private const int PageSize = 4096;
    private const int NoRestart = 1 << 24;
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("state/runs.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Dispose_BeforeTheCheckpointerOpensItsConnection_ItNeverOpensIt_SoNoFileIsMadeAgain()
    {
        using var entered = new ManualResetEventSlim(false);
        using var release = new ManualResetEventSlim(false);
        // The check at open: the thread has taken it and has not yet opened its connection.
        SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions
        {
            Path = DatabasePath,
            BeforeCheckpoint = () =>
            {
                entered.Set();
                release.Wait(Patience);
            },
        });
        string folder = Path.GetDirectoryName(DatabasePath)!;
        try
        {
            Assert.True(entered.Wait(Patience));
            await store.DisposeAsync();

            // As a caller deletes the store's folder: the files go, and the thread goes on only now.
            foreach (string file in Directory.EnumerateFiles(folder))
            {
                File.Delete(file);
            }
        }
        finally
        {
            release.Set();
        }

        Assert.True(store.Checkpointer.WaitIdle(Patience));
        Assert.Empty(Directory.EnumerateFiles(folder));
        Assert.Equal(0, store.Checkpointer.Completed);
    }

    [Fact]
    public async Task ACommitPastTheThreshold_LeavesTheDatabaseFileAlone_AndTheCheckpointerCopiesTheLogIn()
    {
        using var hold = new ManualResetEventSlim(false);
        // The writer's own close-out past LogPagesBeforeRestart would copy this commit itself: far off, so only the thread copies.
        SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DatabasePath, BeforeCheckpoint = () => hold.Wait(Patience), LogPagesBeforeRestart = NoRestart });
        try
        {
            long before = new FileInfo(DatabasePath).Length;

            // One commit of far more than the 1,000 pages at which SQLite itself would have checkpointed inside it.
            await store.CreateRunAsync(Run(1), Steps(Run(1).Id, 80_000));

            Assert.True(new FileInfo(DatabasePath + "-wal").Length > ThresholdBytes, "the commit should be in the log");
            Assert.Equal(before, new FileInfo(DatabasePath).Length);

            hold.Set();
            Assert.True(store.Checkpointer.WaitIdle(Patience));

            // The check at open and the one the large commit asked for.
            Assert.Equal(2, store.Checkpointer.Completed);
            Assert.Null(store.Checkpointer.LastError);
            Assert.True(new FileInfo(DatabasePath).Length > before + (ThresholdBytes), "the checkpoint should have copied the log into the file");
            Assert.Equal(80_000, (await store.GetStepsAsync(Run(1).Id)).Count);
        }
        finally
        {
            hold.Set();
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task SmallCommits_AskForNoCheckpointBeyondTheOneAtOpen()
    {
        await using SqliteRunStore store = await SqliteRunStore.OpenAsync(DatabasePath);
        for (int i = 1; i <= 20; i++)
        {
            await store.CreateRunAsync(Run(i), Steps(Run(i).Id, 3));
        }

        Assert.True(store.Checkpointer.WaitIdle(Patience));
        Assert.Equal(1, store.Checkpointer.Completed);
    }

    [Fact]
    public async Task TheLogAnEarlierStoreLeft_IsCopiedInWhenTheNextOneOpens()
    {
        // The first store's checkpointer never gets to copy anything, as when its process is killed.
        // Nor does its writer close the log out (far off), so the log is all there for the next store.
        await using (SqliteRunStore first = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DatabasePath, BeforeCheckpoint = () => throw new IOException("held"), LogPagesBeforeRestart = NoRestart }))
        {
            await first.CreateRunAsync(Run(1), Steps(Run(1).Id, 80_000));
            Assert.True(first.Checkpointer.WaitIdle(Patience));
            Assert.Equal(0, first.Checkpointer.Completed);
        }

        long before = new FileInfo(DatabasePath).Length;
        await using SqliteRunStore second = await SqliteRunStore.OpenAsync(DatabasePath);
        Assert.True(second.Checkpointer.WaitIdle(Patience));

        Assert.Equal(1, second.Checkpointer.Completed);
        Assert.True(new FileInfo(DatabasePath).Length > before + (ThresholdBytes), "the checkpoint at open should have copied the log into the file");
        Assert.Equal(80_000, (await second.GetStepsAsync(Run(1).Id)).Count);
    }

    [Fact]
    public async Task CommitsThatKeepComing_StartTheLogAgain_SoItsFileStaysNearItsLimit()
    {
        // A checkpoint on another thread never finds the whole log copied while commits keep coming, so SQLite never
        // started it again: a 10,000-step run left a 450 MB log. Small limits show the same with 30 MB of small commits.
        const int RestartAfter = 1_500;
        const long SizeLimit = 1 << 20;
        await using SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions
        {
            Path = DatabasePath,
            LogPagesBeforeRestart = RestartAfter,
            LogSizeLimit = SizeLimit,
        });
        string log = DatabasePath + "-wal";
        long largest = 0;
        for (int i = 1; i <= 1_200; i++)
        {
            await store.CreateRunAsync(Run(i), Steps(Run(i).Id, 60));
            largest = Math.Max(largest, new FileInfo(log).Length);
        }

        Assert.True(store.Checkpointer.WaitIdle(Patience));
        Assert.Null(store.Checkpointer.LastError);

        // At most the pages past the restart threshold, plus the checkpointer's interval before it notices, plus a batch.
        long bound = (RestartAfter + (2L * Sluice.Sqlite.Writing.WalCheckpointer.PagesPerCheckpoint)) * (PageSize + 24);
        Assert.True(largest < bound, $"the log reached {largest:N0} bytes; it should stay under {bound:N0}");
        Assert.True(new FileInfo(log).Length < bound, "the log should end under the bound too");
        Assert.Equal(60, (await store.GetStepsAsync(Run(1_200).Id)).Count);
        Assert.Equal(60, (await store.GetStepsAsync(Run(1).Id)).Count);
    }

    [Fact]
    public async Task WhileTheWriterWantsToStartTheLogAgain_TheThreadLeavesTheCheckpointToIt()
    {
        await (await SqliteRunStore.OpenAsync(DatabasePath)).DisposeAsync();
        var checkpointer = new Sluice.Sqlite.Writing.WalCheckpointer($"Data Source={DatabasePath}", "test checkpointer") { LogPagesBeforeRestart = 10 };
        try
        {
            // The writer has written past the limit: its own checkpoint after its next batch will copy the log, and one
            // here would only make that one busy.
            checkpointer.Committed(20);
            checkpointer.Start();
            Assert.True(checkpointer.WaitIdle(Patience));
            Assert.Equal(0, checkpointer.Completed);

            // Once the writer has copied the log and started it again, the thread checkpoints as before.
            checkpointer.LogCheckpointed(Sluice.Sqlite.Writing.LogCheckpoint.Copied);
            checkpointer.Request();
            Assert.True(checkpointer.WaitIdle(Patience));
            Assert.Equal(1, checkpointer.Completed);
            Assert.Null(checkpointer.LastError);
        }
        finally
        {
            checkpointer.Stop();
        }
    }

    [Fact]
    public async Task DefaultOptions_KeepTheLogTheNextOpenReadsWhole_UnderEightMebibytesAndABatch()
    {
        // The next process reads and checksums the whole log as it opens the store: its size is on every run's path.
        await using SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DatabasePath });
        string log = DatabasePath + "-wal";
        long largest = 0;
        for (int i = 1; i <= 1_200; i++)
        {
            await store.CreateRunAsync(Run(i), Steps(Run(i).Id, 60));
            largest = Math.Max(largest, new FileInfo(log).Length);
        }

        long bound = (2_048 + (2L * Sluice.Sqlite.Writing.WalCheckpointer.PagesPerCheckpoint)) * (PageSize + 24);
        Assert.True(largest < bound, $"the log reached {largest:N0} bytes; it should stay under {bound:N0}");
    }

    [Fact]
    public async Task CheckpointerThreadNeverScheduled_TheWriterStillStartsTheLogAgain()
    {
        // The writer counts its own pages: the bound must not depend on when the checkpointer thread gets a core.
        const int RestartAfter = 1_500;
        using var hold = new ManualResetEventSlim(false);
        SqliteRunStore store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions
        {
            Path = DatabasePath,
            LogPagesBeforeRestart = RestartAfter,
            LogSizeLimit = 1 << 20,
            BeforeCheckpoint = () => hold.Wait(Patience),
        });
        try
        {
            string log = DatabasePath + "-wal";
            long largest = 0;
            for (int i = 1; i <= 600; i++)
            {
                await store.CreateRunAsync(Run(i), Steps(Run(i).Id, 60));
                largest = Math.Max(largest, new FileInfo(log).Length);
            }

            Assert.Equal(0, store.Checkpointer.Completed);
            long bound = (RestartAfter + WalCheckpointerBatchSlack) * (PageSize + 24);
            Assert.True(largest < bound, $"the log reached {largest:N0} bytes; it should stay under {bound:N0}");
            Assert.Equal(60, (await store.GetStepsAsync(Run(600).Id)).Count);
        }
        finally
        {
            hold.Set();
            await store.DisposeAsync();
        }
    }

    // Pages one of these tests' transactions may add past the threshold before the writer checks it.
    private const int WalCheckpointerBatchSlack = 200;

    // What a commit must write to the log to ask for a checkpoint.
    private static long ThresholdBytes => (long)Sluice.Sqlite.Writing.WalCheckpointer.PagesPerCheckpoint * PageSize;

    private static RunRecord Run(int n) => new(RunId.New(T0.AddMinutes(n), n), "chain", RunStatus.Pending, T0.AddMinutes(n), null, "run", "host", 1, null);

    private static StepRecord[] Steps(RunId run, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new StepRecord(run, $"s{i}", i, StepStatus.Pending, "run", "no checkpoint", 0, null, null))];
}
