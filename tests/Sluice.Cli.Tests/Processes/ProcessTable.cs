namespace Sluice.Cli.Tests.Processes;

/// <summary>What the tests ask of /proc about processes a command started.</summary>
internal static class ProcessTable
{
    /// <summary>Returns whether the process still runs: false when it is gone, or a zombie waiting for its parent (init, for a killed grandchild) to reap it.</summary>
    public static bool IsAlive(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
