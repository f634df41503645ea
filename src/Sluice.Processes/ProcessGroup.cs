using System.Runtime.InteropServices;

namespace Sluice.Processes;

/// <summary>Signals to a whole process group (kill(2) with a negative pid), so a command's grandchildren end with it.</summary>
internal static partial class ProcessGroup
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="group"/>; false when the group is empty.</summary>
    public static bool Signal(int group, int signal) => Kill(-group, signal) == 0;

    /// <summary>Returns whether any process (a zombie included) is still in the group.</summary>
    public static bool Exists(int group) => Kill(-group, 0) == 0 || Marshal.GetLastPInvokeError() == 1; // EPERM: it exists, not ours to signal

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
