using System.Text;
using Sluice.Cli.Hosting;

namespace Sluice.Cli.Tests.Hosting;

/// <summary>The note beside the project lock keeps the format earlier versions wrote with the JSON serializer, both ways.</summary>
public sealed class LockHolderTests
{
    // What System.Text.Json's serializer wrote for a LockHolder (default options): earlier versions' notes look so.
    private const string SerializerNote = """{"ProcessId":4242,"Host":"build-07","StartedAt":"2026-11-28T05:33:41.9952005+02:00","Command":"run --from \u0022clean\u0022"}""";

    private static readonly LockHolder Holder = new(4242, "build-07", new DateTimeOffset(2026, 11, 28, 5, 33, 41, TimeSpan.FromHours(2)).AddTicks(9952005), "run --from \"clean\"");

    [Fact]
    public void ToJson_WritesWhatTheSerializerWrote()
    {
        Assert.Equal(SerializerNote, System.Text.Json.JsonSerializer.Serialize(Holder));
        Assert.Equal(SerializerNote, Encoding.UTF8.GetString(Holder.ToJson()));
    }

    [Fact]
    public void FromJson_ReadsANoteAnEarlierVersionWrote() => Assert.Equal(Holder, LockHolder.FromJson(Encoding.UTF8.GetBytes(SerializerNote)));

    [Fact]
    public void TryAcquire_WhileHeld_NamesTheHolderFromItsNote()
    {
        using var project = new TempProject();
        string path = project.PathTo(".sluice/run.lock");
        using ProjectLock? first = ProjectLock.TryAcquire(path, Holder, out LockHolder? none);
        Assert.NotNull(first);
        Assert.Null(none);

        using ProjectLock? second = ProjectLock.TryAcquire(path, Holder with { ProcessId = 1 }, out LockHolder? holder);

        Assert.Null(second);
        Assert.Equal(Holder, holder);
    }
}
