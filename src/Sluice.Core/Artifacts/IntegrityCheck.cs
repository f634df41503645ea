namespace Sluice.Artifacts;

/// <summary>Chooses how much an integrity check reads.</summary>
public enum IntegrityCheck
{
    /// <summary>Checks that the file exists and has the expected length; reads no content.</summary>
    Size,

    /// <summary>Checks the length and re-hashes the whole content (<c>--verify</c>).</summary>
    Full,
}
