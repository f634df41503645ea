using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using Sluice.Definitions;
using StockForecaster.Data;
using StockForecaster.Models;

namespace StockForecaster.Tests.Models;


/// <summary>The model step's entry point: report contents, forecast, hash, determinism and input checks.</summary>
public sealed class ForecasterTests
{
    private static readonly TestCalendar Calendar = new();

    private static ModelSettings Small(int order = 1) => new() { Order = order, WindowDays = 100, TestDays = 50, Horizon = 5 };

    private static PriceSeries Series(string ticker, int seed, int returns = 300) =>
        Synthetic.Series(ticker, Synthetic.Prices(Synthetic.ArReturns(returns, 0.0003, [0.25], 0.01, seed)));

    [Fact]
    public void Fit_Ar1_ReportsWindowDatesOrderAndOneModelPerTickerInOrder()
    {
        PriceSeries b = Series("BBB", seed: 1);
        PriceSeries a = Series("AAA", seed: 2);

        ModelReport report = Forecaster.Fit(Synthetic.Clean(b, a), Small(), Calendar, null);

        Assert.Equal(["BBB", "AAA"], report.Tickers.Select(t => t.Ticker));
        TickerModel model = report.Tickers[0];
        Assert.Equal(1, model.Order);
        Assert.Single(model.Coefficients);
        Assert.Equal(100, model.Observations);
        Assert.Equal(b.Dates[^100], model.FittedFrom);
        Assert.Equal(b.Dates[^1], model.FittedTo);
        Assert.Equal(50, model.Ar.Forecasts);
        Assert.Equal(1.0, model.RandomWalk.TheilU);
        Assert.Equal(0.0, model.RandomWalk.DirectionalAccuracy);
        Assert.Equal(model.HistoricalMean.Rmse / model.RandomWalk.Rmse, model.HistoricalMean.TheilU, 1e-15);
    }

    [Fact]
    public void Fit_FixedOrder_ReportsAicOfTheFinalFit()
    {
        PriceSeries series = Series("AAA", seed: 3);
        double[] returns = [.. series.AdjClose.Zip(series.AdjClose.Skip(1), (p0, p1) => Math.Log(p1 / p0))];

        TickerModel model = Forecaster.Fit(Synthetic.Clean(series), Small(order: 2), Calendar, null).Tickers[0];

        ArFit expected = ArEstimator.Fit(returns.AsSpan(returns.Length - 100), 2, 2);
        Assert.Equal(expected.Aic, model.InformationCriterion, 1e-9);
        Assert.Equal(expected.Intercept, model.Intercept, 1e-12);
        Assert.Equal(expected.Coefficients, model.Coefficients);
        Assert.Equal(expected.Sigma, model.Sigma, 1e-15);
    }

    [Fact]
    public void Fit_OrderZero_ChoosesTwoByBicForASimulatedAr2()
    {
        double[] returns = Synthetic.ArReturns(20_000, 0.001, [0.5, -0.3], 0.01, seed: 20_240_601);
        PriceSeries series = Synthetic.Series("AR2", Synthetic.Prices(returns));
        var settings = new ModelSettings { Order = 0, MaxOrder = 5, Criterion = "bic", WindowDays = 19_000, TestDays = 1_000 };

        TickerModel model = Forecaster.Fit(Synthetic.Clean(series), settings, Calendar, null).Tickers[0];

        Assert.Equal(2, model.Order);
        Assert.Equal(ArEstimator.SelectOrder(returns.AsSpan(1_000), 5, "bic").Criterion, model.InformationCriterion, 1e-9);
        Assert.Equal(0.5, model.Coefficients[0], 0.03);
        Assert.Equal(-0.3, model.Coefficients[1], 0.03);
        Assert.InRange(model.Ar.TheilU, 0.8, 0.95);
    }

    [Fact]
    public void Fit_Ar1_ForecastMatchesTheClosedFormOnTradingDays()
    {
        // The series ends on a Friday, so the five forecast days are the next Monday to Friday.
        PriceSeries series = Series("AAA", seed: 4, returns: 299);
        Assert.Equal(DayOfWeek.Friday, series.Dates[^1].DayOfWeek);
        var settings = Small();
        settings.IntervalLevel = 0.9;

        TickerModel model = Forecaster.Fit(Synthetic.Clean(series), settings, Calendar, null).Tickers[0];

        double phi = model.Coefficients[0];
        double mu = model.Intercept / (1 - phi);
        double lastReturn = Math.Log(series.AdjClose[^1] / series.AdjClose[^2]);
        double z = Normal.InvCDF(0, 1, 0.95);
        Assert.Equal(5, model.Forecast.Length);
        for (int h = 1; h <= 5; h++)
        {
            double mean = (h * mu) + ((lastReturn - mu) * phi * (1 - Math.Pow(phi, h)) / (1 - phi));
            double variance = Enumerable.Range(0, h).Sum(j => Math.Pow(model.Sigma * (1 - Math.Pow(phi, j + 1)) / (1 - phi), 2));
            ForecastPoint point = model.Forecast[h - 1];
            Assert.Equal(series.Dates[^1].AddDays(2 + h), point.Date);
            Assert.Equal(series.AdjClose[^1] * Math.Exp(mean), point.Price, 1e-9);
            Assert.Equal(series.AdjClose[^1] * Math.Exp(mean - (z * Math.Sqrt(variance))), point.Lower, 1e-9);
            Assert.Equal(series.AdjClose[^1] * Math.Exp(mean + (z * Math.Sqrt(variance))), point.Upper, 1e-9);
        }
    }

    [Fact]
    public void Fit_TargetClose_ModelsTheCloseColumn()
    {
        PriceSeries adjusted = Series("AAA", seed: 5);
        PriceSeries close = Series("AAA", seed: 6);
        var mixed = new PriceSeries
        {
            Ticker = "AAA", Dates = adjusted.Dates, Open = close.Close, High = close.Close, Low = close.Close,
            Close = close.Close, AdjClose = adjusted.AdjClose, Volume = adjusted.Volume,
        };
        var settings = Small();
        settings.Target = "Close";

        TickerModel model = Forecaster.Fit(Synthetic.Clean(mixed), settings, Calendar, null).Tickers[0];

        Assert.Equal(Forecaster.Fit(Synthetic.Clean(close), settings, Calendar, null).Tickers[0].Coefficients, model.Coefficients);
        Assert.NotEqual(Forecaster.Fit(Synthetic.Clean(adjusted), Small(), Calendar, null).Tickers[0].Coefficients, model.Coefficients);
    }

    [Fact]
    public void Fit_SameInputTwice_SerializesToTheSameBytes()
    {
        CleanPrices prices = Synthetic.Clean([.. Enumerable.Range(0, 40).Select(i => Series($"T{i:D2}", seed: 100 + i))]);

        byte[] first = JsonSerializer.SerializeToUtf8Bytes(Forecaster.Fit(prices, Small(order: 0), Calendar, null));
        byte[] second = JsonSerializer.SerializeToUtf8Bytes(Forecaster.Fit(prices, Small(order: 0), Calendar, null));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Fit_SettingsChangedAfterwards_ReportKeepsTheSettingsUsed()
    {
        ModelSettings settings = Small();

        ModelReport report = Forecaster.Fit(Synthetic.Clean(Series("AAA", seed: 7)), settings, Calendar, null);
        settings.WindowDays = 400;

        Assert.Equal(100, report.Settings.WindowDays);
    }

    [Fact]
    public void Fit_DataHash_IsTheSha256OfTheDocumentedBytesOfTheUsedPrices()
    {
        PriceSeries a = Series("AAA", seed: 8);
        PriceSeries b = Series("BB", seed: 9);

        ModelReport report = Forecaster.Fit(Synthetic.Clean(a, b), Small(), Calendar, null);

        // 151 prices are used: WindowDays + TestDays + 1.
        var bytes = new List<byte>();
        foreach (PriceSeries series in new[] { a, b })
        {
            bytes.AddRange(BitConverter.GetBytes(series.Ticker.Length));
            bytes.AddRange(Encoding.UTF8.GetBytes(series.Ticker));
            bytes.AddRange(BitConverter.GetBytes(151));
            for (int i = series.Dates.Length - 151; i < series.Dates.Length; i++)
            {
                bytes.AddRange(BitConverter.GetBytes(series.Dates[i].DayNumber));
                bytes.AddRange(BitConverter.GetBytes(series.AdjClose[i]));
            }
        }

        Assert.True(BitConverter.IsLittleEndian);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([.. bytes])), report.DataHash);
    }

    [Fact]
    public void Fit_DataHash_ChangesWithAUsedPriceOnly()
    {
        PriceSeries original = Series("AAA", seed: 10);
        string hash = Forecaster.Fit(Synthetic.Clean(original), Small(), Calendar, null).DataHash;
        double[] oldChanged = [.. original.AdjClose];
        oldChanged[0] *= 1.01;
        double[] usedChanged = [.. original.AdjClose];
        usedChanged[^151] *= 1.0000001;

        Assert.Equal(hash, Forecaster.Fit(Synthetic.Clean(Synthetic.Series("AAA", oldChanged)), Small(), Calendar, null).DataHash);
        Assert.NotEqual(hash, Forecaster.Fit(Synthetic.Clean(Synthetic.Series("AAA", usedChanged)), Small(), Calendar, null).DataHash);
    }

    [Fact]
    public void Fit_ShortSeries_ThrowsDataValidationNamingTickerAndNeed()
    {
        CleanPrices prices = Synthetic.Clean(Series("LONG", seed: 11), Series("SHORT", seed: 12, returns: 120));

        var exception = Assert.Throws<DataValidationException>(() => Forecaster.Fit(prices, Small(), Calendar, null));

        Assert.Equal(
            "1 series cannot be modelled:\n  SHORT has 121 prices; the model needs WindowDays + TestDays + 1 = 151. Lower Model:WindowDays (100) or Model:TestDays (50), or ingest more history.",
            exception.Message);
    }

    [Fact]
    public void Fit_BadSettings_ThrowsListingEveryProblem()
    {
        var settings = new ModelSettings { Target = "Open", Criterion = "hqc", Order = 30, WindowDays = 40, RefitEvery = 0 };

        var exception = Assert.Throws<ArgumentException>(() => Forecaster.Fit(Synthetic.Clean(), settings, Calendar, null));

        Assert.StartsWith("5 problems in the model settings:\n  Model:Target is 'Open'; use 'AdjClose' or 'Close'.\n  Model:Criterion is 'hqc'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Model:WindowDays is 40, too few for AR(30); use at least 62", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NoSeries_ReturnsAnEmptyReport()
    {
        ModelReport report = Forecaster.Fit(Synthetic.Clean(), Small(), Calendar, null);

        Assert.Empty(report.Tickers);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), report.DataHash);
    }
}
