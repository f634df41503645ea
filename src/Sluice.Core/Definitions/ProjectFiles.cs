namespace Sluice.Definitions;

/// <summary>The project files a file set chose (see <see cref="PipelineBuilder.Files{T}"/>), each with the content hash its step's fingerprint used.</summary>
/// <param name="Files">The files, in the order the selector gave them.</param>
public sealed record ProjectFiles(IReadOnlyList<ProjectFile> Files);
