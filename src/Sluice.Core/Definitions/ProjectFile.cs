namespace Sluice.Definitions;

/// <summary>A project file declared as a step's input with <see cref="PipelineBuilder.File"/>: its path, and its content hash when checkpointing.</summary>
/// <param name="RelativePath">The path relative to the project folder, as declared.</param>
/// <param name="ContentHash">The content hash the step's fingerprint used, or null when the run keeps no checkpoints or the file is missing.</param>
public sealed record ProjectFile(string RelativePath, string? ContentHash);
