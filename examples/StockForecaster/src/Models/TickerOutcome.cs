namespace StockForecaster.Models;

/// <summary>One ticker's result: a model fit to publish, or the reasons it is not.</summary>
/// <param name="Model">The model, or null when it diverged.</param>
/// <param name="Divergences">Every reason the model diverged; empty when <paramref name="Model"/> is set.</param>
internal sealed record TickerOutcome(TickerModel? Model, IReadOnlyList<Divergence> Divergences);
