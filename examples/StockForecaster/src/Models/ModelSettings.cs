using System.ComponentModel.DataAnnotations;

namespace StockForecaster.Models;

/// <summary>How models are fitted, backtested and judged; bound from the "Model" section of config/appsettings.json.</summary>
public sealed class ModelSettings
{
    /// <summary>Gets or sets the price column modelled: <c>AdjClose</c> or <c>Close</c>.</summary>
    [RegularExpression("^(AdjClose|Close)$")]
    public string Target { get; set; } = "AdjClose";

    /// <summary>Gets or sets a fixed AR order; 0 chooses it by <see cref="Criterion"/> up to <see cref="MaxOrder"/>.</summary>
    [Range(0, 20)]
    public int Order { get; set; }

    /// <summary>Gets or sets the largest order tried when the order is chosen.</summary>
    [Range(1, 20)]
    public int MaxOrder { get; set; } = 5;

    /// <summary>Gets or sets the information criterion that chooses the order: <c>aic</c> or <c>bic</c>.</summary>
    [RegularExpression("^(aic|bic)$")]
    public string Criterion { get; set; } = "bic";

    /// <summary>Gets or sets the rolling window, in returns, each model is fitted on.</summary>
    [Range(30, 100_000)]
    public int WindowDays { get; set; } = 500;

    /// <summary>Gets or sets how many of the last days are forecast one day ahead in the walk-forward backtest.</summary>
    [Range(1, 100_000)]
    public int TestDays { get; set; } = 250;

    /// <summary>Gets or sets how often, in days, the backtest refits the model (1 refits every day).</summary>
    [Range(1, 10_000)]
    public int RefitEvery { get; set; } = 1;

    /// <summary>Gets or sets the forecast horizon in trading days.</summary>
    [Range(1, 250)]
    public int Horizon { get; set; } = 5;

    /// <summary>Gets or sets the coverage of the prediction intervals.</summary>
    [Range(0.5, 0.999)]
    public double IntervalLevel { get; set; } = 0.95;

    /// <summary>Gets or sets how much worse than the random walk the backtest RMSE may be before the model counts as diverged (0.10 allows Theil's U up to 1.10).</summary>
    [Range(0, 10)]
    public double DivergenceMargin { get; set; } = 0.10;

    /// <summary>Gets or sets the largest change of any AR coefficient from the last good model before the model counts as diverged.</summary>
    [Range(0, 100)]
    public double MaxCoefficientJump { get; set; } = 0.5;
}
