namespace Sluice.Definitions;

/// <summary>The artifact of a command step: each declared output file with the content hash and size it was published with.</summary>
/// <remarks>Stored as the step's artifact (JSON), so the fingerprints of the steps after it see the files' hashes and early cut-off works.</remarks>
/// <param name="Files">The output files, in declaration order.</param>
public sealed record CommandOutputs(IReadOnlyList<CommandOutputFile> Files);

/// <summary>One published output file of a command step.</summary>
/// <param name="Path">The project-relative path it is published under.</param>
/// <param name="Hash">Its content hash, as <c>xxh128:&lt;hex&gt;</c>.</param>
/// <param name="Length">Its size in bytes.</param>
public sealed record CommandOutputFile(string Path, string Hash, long Length);
