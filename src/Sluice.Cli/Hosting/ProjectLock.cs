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
        File.WriteAllBytes(NotePath(path), me.ToJson());
        return new ProjectLock(stream);
    }

    public void Dispose() => _stream.Dispose();

    private static string NotePath(string path) => path + ".holder";

    private static LockHolder? ReadHolder(string path)
    {
        try
        {
            return LockHolder.FromJson(File.ReadAllBytes(NotePath(path)));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>Who holds a project's lock.</summary>
/// <remarks>
/// Written and read with the JSON writer and document rather than the serializer: a no-op run uses the serializer for
/// nothing else, and its first use cost ~5 ms of start-up on the command's critical path (docs/benchmarks.md). The
/// note is the one the serializer wrote: <c>{"ProcessId":1,"Host":"h","StartedAt":"...+00:00","Command":"run"}</c>.
/// </remarks>
internal sealed record LockHolder(int ProcessId, string Host, DateTimeOffset StartedAt, string Command)
{
    public string Describe(TimeZoneInfo zone) =>
        $"process {ProcessId} on {Host}, started {TimeZoneInfo.ConvertTime(StartedAt, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} ({Command})";

    /// <summary>Returns the note's UTF-8 JSON.</summary>
    public byte[] ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber(nameof(ProcessId), ProcessId);
            json.WriteString(nameof(Host), Host);
            json.WriteString(nameof(StartedAt), StartedAt);
            json.WriteString(nameof(Command), Command);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a note written by <see cref="ToJson"/>; throws if a property is missing or of the wrong kind.</summary>
    public static LockHolder FromJson(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        JsonElement root = document.RootElement;
        return new LockHolder(
            root.GetProperty(nameof(ProcessId)).GetInt32(),
            root.GetProperty(nameof(Host)).GetString()!,
            root.GetProperty(nameof(StartedAt)).GetDateTimeOffset(),
            root.GetProperty(nameof(Command)).GetString()!);
    }
}
