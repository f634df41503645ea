namespace Sluice.Definitions;

/// <summary>The one rule for paths a pipeline may name: relative to the project folder and never leaving it.</summary>
internal static class ProjectRelativePath
{
    /// <summary>Returns the path with forward slashes.</summary>
    public static string Normalize(string? path) => (path ?? "").Replace('\\', '/');

    /// <summary>Returns whether a (normalized) path is non-empty, relative, and has no <c>..</c> segment.</summary>
    public static bool IsInside(string normalized) =>
        !string.IsNullOrWhiteSpace(normalized) && !Path.IsPathRooted(normalized) && !normalized.Split('/').Contains("..");
}
