using StockForecaster.Data;
using StockForecaster.Models;

namespace StockForecaster.Tests.Reporting;

/// <summary>Hand-built inputs for the report: prices from a closed formula, so every test run sees the same numbers.</summary>
internal static class ReportInputs
{
    public static readonly DateOnly FirstDay = new(2020, 1, 2);

    /// <summary>Three tickers that between them hit every branch: findings of every kind, a URL source, a ticker without a model and without a source, and a finding about a ticker that has no prices.</summary>
    public static (CleanPrices Clean, ModelReport Model, RawPrices Raw) Small(string firstTicker = "AAA", string hostileMessage = "")
    {
        PriceSeries aaa = Series(firstTicker, 300, 100, filled: 2);
        PriceSeries bbb = Series("BBB", 40, 20, filled: 0);
        PriceSeries ccc = Series("CCC", 12, 5, filled: 0);
        Finding[] findings =
        [
            new(Severity.Warning, "missing-days", firstTicker, $"{firstTicker}: 2020-01-20 is a trading day but has no row (data/sp500-2000.csv)."),
            new(Severity.Info, "stale", firstTicker, $"{firstTicker}: close unchanged for 3 days from 2020-03-02."),
            new(Severity.Warning, "missing-days", firstTicker, $"{firstTicker}: 2020-02-17 is a trading day but has no row (data/sp500-2000.csv)."),
            new(Severity.Warning, "outlier", firstTicker, $"{firstTicker}: return of +23.1 % on 2020-03-16 is 6.2 sigma from the mean.{hostileMessage}"),
            new(Severity.Warning, "missing-days", firstTicker, $"{firstTicker}: 2020-04-10 is a trading day but has no row (data/sp500-2000.csv)."),
            new(Severity.Info, "schema-drift", "CCC", "CCC: column 'Adj Close' missing; AdjClose set to Close."),
            new(Severity.Warning, "parse", "ZZZ", "ZZZ: line 7, column Close: 'n/a' is not a number; the ticker was dropped."),
        ];
        var clean = new CleanPrices([aaa, bbb, ccc], findings, "fill-forward");
        var settings = new ModelSettings { WindowDays = 250, TestDays = 30, Horizon = 5 };
        TickerModel aaaModel = Model(aaa, order: 2, [0.0512, -0.0213], settings, arRmse: 0.01890, rwRmse: 0.01920, mean: 0.01905);
        TickerModel bbbModel = Model(bbb, order: 0, [], settings, arRmse: 0.02100, rwRmse: 0.02050, mean: 0.02100);
        var model = new ModelReport("5d1f0c2a9be84e0f4bb1c7e2d43a9f6a10c2e3b4d5f60718293a4b5c6d7e8f90", settings, [aaaModel, bbbModel]);
        var raw = new RawPrices(
        [
            Raw(firstTicker, new SourceInfo("csv", "data/sp500-2000.csv", new string('a', 64), 1_234_567)),
            Raw("BBB", new SourceInfo("alphavantage", "https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&symbol=BBB&outputsize=full", new string('b', 64), 20_480)),
        ]);
        return (clean, model, raw);
    }

    /// <summary>Many tickers with realistic lengths, for the size and speed of a full S&amp;P 500 report.</summary>
    public static (CleanPrices Clean, ModelReport Model, RawPrices Raw) Many(int tickers, int days)
    {
        var settings = new ModelSettings();
        var series = new PriceSeries[tickers];
        var models = new TickerModel[tickers];
        var raws = new RawSeries[tickers];
        var findings = new List<Finding>();
        for (int t = 0; t < tickers; t++)
        {
            string ticker = "T" + t.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            series[t] = Series(ticker, days, 10 + t, filled: t % 3);
            models[t] = Model(series[t], order: 1 + (t % 3), new[] { 0.05, -0.02, 0.01 }[..(1 + (t % 3))], settings, 0.019 + (t * 1e-5), 0.0192, 0.0191);
            raws[t] = Raw(ticker, new SourceInfo("csv", "data/sp500-2000.csv", new string('c', 64), 9_876_543));
            for (int f = 0; f < t % 4; f++)
            {
                findings.Add(new Finding(Severity.Warning, "missing-days", ticker, $"{ticker}: day {f} missing."));
            }
        }

        return (new CleanPrices(series, [.. findings], "fill-forward"), new ModelReport(new string('d', 64), settings, models), new RawPrices(raws));
    }

    /// <summary>Returns <paramref name="count"/> weekdays from <paramref name="first"/> on.</summary>
    public static DateOnly[] Weekdays(DateOnly first, int count)
    {
        var days = new DateOnly[count];
        DateOnly day = first;
        for (int i = 0; i < count; i++)
        {
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                day = day.AddDays(1);
            }

            days[i] = day;
            day = day.AddDays(1);
        }

        return days;
    }

    private static PriceSeries Series(string ticker, int days, double level, int filled)
    {
        DateOnly[] dates = Weekdays(FirstDay, days);
        double[] close = new double[days];
        for (int i = 0; i < days; i++)
        {
            // A drift, a slow cycle and a fast wiggle: enough shape for a chart, exact in any runtime.
            close[i] = Math.Round(level * (1 + (0.0008 * i) + (0.05 * Math.Sin(i / 17.0)) + (0.01 * Math.Sin(i * 1.3))), 4);
        }

        return new PriceSeries
        {
            Ticker = ticker,
            Dates = dates,
            Open = close,
            High = [.. close.Select(c => c * 1.01)],
            Low = [.. close.Select(c => c * 0.99)],
            Close = close,
            AdjClose = [.. close.Select(c => c * 0.98)],
            Volume = [.. close.Select((_, i) => 1_000_000L + i)],
            FilledDates = [.. dates.Skip(10).Take(filled)],
        };
    }

    private static TickerModel Model(PriceSeries s, int order, double[] phi, ModelSettings settings, double arRmse, double rwRmse, double mean)
    {
        double last = s.AdjClose[^1];
        DateOnly[] days = Weekdays(s.Dates[^1].AddDays(1), settings.Horizon);
        var forecast = new ForecastPoint[days.Length];
        for (int h = 0; h < days.Length; h++)
        {
            double width = 0.0189 * 1.96 * Math.Sqrt(h + 1);
            double price = last * (1 + (0.0004 * (h + 1)));
            forecast[h] = new ForecastPoint(days[h], price, price * Math.Exp(-width), price * Math.Exp(width));
        }

        int window = Math.Min(settings.WindowDays, s.Dates.Length - 1);
        return new TickerModel(
            s.Ticker,
            order,
            0.000123,
            phi,
            0.0189,
            -2345.678,
            window,
            s.Dates[^window],
            s.Dates[^1],
            new ForecastMetrics(arRmse, 0.0134, 0.524, arRmse / rwRmse, settings.TestDays),
            new ForecastMetrics(rwRmse, 0.0136, 0.0, 1.0, settings.TestDays),
            new ForecastMetrics(mean, 0.0135, 0.531, mean / rwRmse, settings.TestDays),
            forecast);
    }

    private static RawSeries Raw(string ticker, SourceInfo source) => new(ticker, source, ["Date", "Close"], [], []);
}
