namespace Sluice.Alerts;

/// <summary>What <see cref="AlertDispatcher.DrainAsync"/> saw: the deliveries that ended and how many were given up.</summary>
/// <param name="Deliveries">Every delivery that ended, in the order they ended.</param>
/// <param name="GaveUp">How many deliveries were still in progress, waiting to retry or queued when the drain limit was reached.</param>
/// <param name="StoreErrors">How many alerts or attempts could not be recorded in the store.</param>
public sealed record AlertDrainResult(IReadOnlyList<AlertDelivery> Deliveries, int GaveUp, int StoreErrors);
