namespace Sluice.Telemetry;

/// <summary>Tests that listen to the process-wide "Sluice" meter and activity source run alone, so no other test's run is seen or changes what a run decides at its start.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ListenerCollection
{
    public const string Name = "Sluice listeners";
}
