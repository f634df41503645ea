using System.Runtime.CompilerServices;

namespace Sluice.Cli.Tests;

/// <summary>Compares output with a checked-in <c>Approved/NAME.approved.txt</c>; on a difference writes <c>NAME.received.txt</c> beside it and fails.</summary>
/// <remarks>To approve a change, review the received file and rename it over the approved one.</remarks>
internal static class Approvals
{
    public static void Verify(string received, string name, [CallerFilePath] string callerFile = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(callerFile)!, "..", "Approved");
        if (!Directory.Exists(folder))
        {
            folder = Path.Combine(Path.GetDirectoryName(callerFile)!, "Approved");
        }

        string approvedPath = Path.Combine(folder, name + ".approved.txt");
        string receivedPath = Path.Combine(folder, name + ".received.txt");
        string normalized = received.Replace("\r\n", "\n", StringComparison.Ordinal);
        string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : null;
        if (approved == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized);
        Assert.Fail(approved is null
            ? $"No approved output for '{name}'. Review {receivedPath} and rename it to {Path.GetFileName(approvedPath)}."
            : $"Output of '{name}' differs from {approvedPath}; see {receivedPath}.\n--- approved\n{approved}\n--- received\n{normalized}");
    }
}
