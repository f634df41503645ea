namespace Sluice.Sqlite;

/// <summary>Thrown when a run store database was written by a newer Sluice whose schema this code does not know.</summary>
public sealed class UnsupportedSchemaVersionException : Exception
{
    /// <summary>Creates the exception for a database file, the version found in it and the newest version this code supports.</summary>
    public UnsupportedSchemaVersionException(string path, int foundVersion, int supportedVersion)
        : base($"The run store database '{path}' has schema version {foundVersion}, but this version of Sluice supports versions up to {supportedVersion}. " +
               "Upgrade Sluice to open it, or point the run store at another file.")
    {
        Path = path;
        FoundVersion = foundVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>Gets the database file.</summary>
    public string Path { get; }

    /// <summary>Gets the schema version recorded in the file.</summary>
    public int FoundVersion { get; }

    /// <summary>Gets the newest schema version this code can read and write.</summary>
    public int SupportedVersion { get; }
}
