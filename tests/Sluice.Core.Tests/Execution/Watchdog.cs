namespace Sluice.Execution;

/// <summary>How long a test waits for something that should happen at once before it fails instead of hanging.</summary>
/// <remarks>Real time, used only to bound a wait for a signal; tests never sleep to let time pass.</remarks>
internal static class Watchdog
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
}
