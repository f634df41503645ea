using System.Runtime.CompilerServices;

namespace StockForecaster.Tests.Reporting;

/// <summary>Compares a report with <c>Approved/NAME.approved.txt</c> beside this file; on a difference writes <c>NAME.received.txt</c> next to it (git-ignored) and fails.</summary>
/// <remarks>To approve a change, read the received file, then move it over the approved one.</remarks>
internal static class ApprovedFile
{
    public static void Verify(string received, string name, [CallerFilePath] string thisFile = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(thisFile)!, "Approved");
        string approvedPath = Path.Combine(folder, name + ".approved.txt");
        string receivedPath = Path.Combine(folder, name + ".received.txt");

        // Byte comparison, not line comparison: the report promises equal bytes for equal inputs,
        // line ends and the final newline included.
        string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : null;
        if (string.Equals(approved, received, StringComparison.Ordinal))
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, received);
        Assert.Fail(approved is null
            ? $"There is no approved report '{name}' yet. Read {receivedPath} and, if it is right, rename it to {Path.GetFileName(approvedPath)}."
            : $"The report differs from {approvedPath}. Compare it with {receivedPath} (for example with diff) and move the received file over the approved one if the change is intended.");
    }
}
