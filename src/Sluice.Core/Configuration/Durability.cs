namespace Sluice.Configuration;

/// <summary>What a run's files and records must survive, the setting <c>Sluice:Durability</c>; either way a reader sees a whole file or none.</summary>
public enum Durability
{
    /// <summary>A power loss or a kernel crash: every file is fsynced before its rename and every folder before a record refers to it (the default).</summary>
    PowerLoss,

    /// <summary>Only the process being killed: files are written and renamed with no fsync, as make and most orchestrators do; after a power loss a recent output may be lost or empty, and a recent run may be reported unfinished.</summary>
    ProcessCrash,
}
