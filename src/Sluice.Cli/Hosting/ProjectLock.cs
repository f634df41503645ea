using System.Globalization;
using System.Text.Json;

namespace Sluice.Cli.Hosting;

/// <summary>An exclusive, per-project lock held for the whole of a run, released by the OS if the process dies.</summary>
/// <remarks>
/// .NET maps <see cref="FileShare.None"/> to an advisory <c>flock</c> on Unix, so a killed process never
/// leaves a stale lock behind; a note file beside it only names the holder for the message.
/// </remarks>
internal sealed class ProjectLock : IDisposable
{
    private readonly FileStream _stream;

    private ProjectLock(FileStream stream) => _stream = stream;

    /// <summary>Tries to take the lock; on failure returns who holds it.</summary>
    public static ProjectLock? TryAcquire(string path, LockHolder me, out LockHolder? holder)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            holder = ReadHolder(path);
            return null;
        }

        holder = null;

        // The note lives beside the lock: a second process cannot open the locked file itself.
        File.WriteAllText(NotePath(path), JsonSerializer.Serialize(me, LockHolderJson.Default.LockHolder));
        return new ProjectLock(stream);
    }

    public void Dispose() => _stream.Dispose();

    private static string NotePath(string path) => path + ".holder";

    private static LockHolder? ReadHolder(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(NotePath(path)), LockHolderJson.Default.LockHolder);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Who holds a project's lock.</summary>
internal sealed record LockHolder(int ProcessId, string Host, DateTimeOffset StartedAt, string Command)
{
    public string Describe(TimeZoneInfo zone) =>
        $"process {ProcessId} on {Host}, started {TimeZoneInfo.ConvertTime(StartedAt, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} ({Command})";
}

[System.Text.Json.Serialization.JsonSerializable(typeof(LockHolder))]
internal sealed partial class LockHolderJson : System.Text.Json.Serialization.JsonSerializerContext;
