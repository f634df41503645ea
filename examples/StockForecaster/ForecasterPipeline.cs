using Sluice.Definitions;

namespace StockForecaster;

/// <summary>The wiring only: ingest -> clean/validate -> model -> report; the work lives in src/.</summary>
public static class ForecasterPipeline
{
    /// <summary>Defines the forecaster pipeline.</summary>
    public static Pipeline Create() => Pipeline.Define("stock-forecaster", p =>
    {
        p.Step("ingest").Executes(_ => 0);
    });
}
