using StockForecaster.Data;
using StockForecaster.Models;

namespace StockForecaster.Reporting;

/// <summary>Joins clean prices, models, sources and findings by ticker and turns them into the blocks and tables of a report.</summary>
internal static class ReportBuilder
{
    private static readonly string[] ModelNames = ["AR", "Random walk", "Historical mean"];

    /// <summary>Builds the content of a report; everything printed is formatted and cleaned here.</summary>
    public static ReportContent Build(CleanPrices clean, ModelReport model, RawPrices? raw, ReportSettings settings)
    {
        List<Entry> entries = Join(clean, model, raw, out List<Finding> orphans);
        int detailCount = Math.Min(entries.Count, settings.DetailTickers ?? int.MaxValue);
        var details = new List<TickerDetail>(detailCount);
        for (int i = 0; i < detailCount; i++)
        {
            details.Add(Detail(entries[i], i, clean, model, settings));
        }

        var trailer = new List<ReportBlock>();
        if (orphans.Count > 0)
        {
            trailer.Add(new ReportBlock(
                "Findings about tickers without prices or a model",
                [],
                FindingsTable(orphans, settings.MessagesPerFindingGroup, withTicker: true),
                []));
        }

        return new ReportContent("Stock forecast report", Overview(entries, clean, model, detailCount), Summary(entries, detailCount, model.Settings), details, trailer);
    }

    private static List<Entry> Join(CleanPrices clean, ModelReport model, RawPrices? raw, out List<Finding> orphans)
    {
        // First wins everywhere: inputs should have one entry per ticker, and a duplicate must not
        // make the report throw or depend on dictionary order.
        var models = new Dictionary<string, TickerModel>(StringComparer.Ordinal);
        foreach (TickerModel m in model.Tickers)
        {
            models.TryAdd(m.Ticker, m);
        }

        var sources = new Dictionary<string, SourceInfo>(StringComparer.Ordinal);
        foreach (RawSeries r in raw?.Series ?? [])
        {
            sources.TryAdd(r.Ticker, r.Source);
        }

        var entries = new List<Entry>(clean.Series.Length);
        var byTicker = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (PriceSeries series in clean.Series)
        {
            if (!byTicker.ContainsKey(series.Ticker))
            {
                var entry = new Entry(series.Ticker, series, models.GetValueOrDefault(series.Ticker), sources.GetValueOrDefault(series.Ticker) ?? series.Source);
                entries.Add(entry);
                byTicker.Add(series.Ticker, entry);
            }
        }

        foreach (TickerModel m in model.Tickers)
        {
            if (!byTicker.ContainsKey(m.Ticker))
            {
                var entry = new Entry(m.Ticker, null, m, sources.GetValueOrDefault(m.Ticker));
                entries.Add(entry);
                byTicker.Add(m.Ticker, entry);
            }
        }

        orphans = [];
        foreach (Finding finding in clean.Findings)
        {
            if (byTicker.TryGetValue(finding.Ticker ?? string.Empty, out Entry? entry))
            {
                entry.Findings.Add(finding);
            }
            else
            {
                orphans.Add(finding);
            }
        }

        return entries;
    }

    private static ReportBlock Overview(List<Entry> entries, CleanPrices clean, ModelReport model, int detailCount)
    {
        ModelSettings s = model.Settings;
        int warnings = clean.Findings.Count(f => f.Severity == Severity.Warning);
        int infos = clean.Findings.Count(f => f.Severity == Severity.Info);
        string order = s.Order == 0
            ? $"AR, order chosen by {Criterion(s)} from 1 to {ReportFormat.Count(s.MaxOrder)}"
            : $"AR({ReportFormat.Count(s.Order)}), order fixed";
        string details = detailCount == entries.Count ? "all" : detailCount == 0 ? "none" : $"the first {ReportFormat.Count(detailCount)}";
        return new ReportBlock(
            "Overview",
            [
                Fact("Tickers", $"{ReportFormat.Count(entries.Count)} (details for {details})"),
                Fact("Findings", $"{ReportFormat.Plural(warnings, "warning", "warnings")}, {ReportFormat.Count(infos)} info"),
                Fact("Missing-day policy", ReportFormat.Clean(clean.MissingDayPolicy)),
                Fact("Model", order),
                Fact("Modelled price", ReportFormat.Clean(s.Target)),
                Fact("Fitting window", $"{ReportFormat.Count(s.WindowDays)} returns"),
                Fact("Backtest", $"last {ReportFormat.Count(s.TestDays)} days, one day ahead, refitted {(s.RefitEvery == 1 ? "every day" : $"every {ReportFormat.Count(s.RefitEvery)} days")}"),
                Fact("Forecast", $"{ReportFormat.Plural(s.Horizon, "trading day", "trading days")} ahead, {ReportFormat.Level(s.IntervalLevel)} intervals"),
                Fact("Data hash", ReportFormat.Clean(model.DataHash)),
            ],
            null,
            []);
    }

    private static ReportBlock Summary(List<Entry> entries, int detailCount, ModelSettings settings)
    {
        var table = new ReportTable(
            new ReportColumn("#", Numeric: true),
            new ReportColumn("Ticker"),
            new ReportColumn("First"),
            new ReportColumn("Last"),
            new ReportColumn("Rows", Numeric: true),
            new ReportColumn("Warn", Numeric: true),
            new ReportColumn("Info", Numeric: true),
            new ReportColumn("Model"),
            new ReportColumn("Theil's U", Numeric: true),
            new ReportColumn("Best"),
            new ReportColumn("Last price", Numeric: true),
            new ReportColumn("Horizon"),
            new ReportColumn("Forecast", Numeric: true),
            new ReportColumn("Lower", Numeric: true),
            new ReportColumn("Upper", Numeric: true),
            new ReportColumn("Change", Numeric: true));
        for (int i = 0; i < entries.Count; i++)
        {
            Entry e = entries[i];
            PriceSeries? series = e.Series;
            TickerModel? m = e.Model;
            ForecastPoint? last = m is { Forecast.Length: > 0 } ? m.Forecast[^1] : null;
            double? lastPrice = LastPrice(series, settings);
            table.Add(
                ReportFormat.Count(i + 1),
                new ReportCell(ReportFormat.Clean(e.Ticker), Anchor: i < detailCount ? Anchor(i) : null),
                series is { Dates.Length: > 0 } ? ReportFormat.Date(series.Dates[0]) : "-",
                series is { Dates.Length: > 0 } ? ReportFormat.Date(series.Dates[^1]) : "-",
                series is null ? "-" : ReportFormat.Count(series.Dates.Length),
                ReportFormat.Count(e.Findings.Count(f => f.Severity == Severity.Warning)),
                ReportFormat.Count(e.Findings.Count(f => f.Severity == Severity.Info)),
                m is null ? "none" : $"AR({ReportFormat.Count(m.Order)})",
                m is null ? "-" : ReportFormat.Ratio(m.Ar.TheilU),
                m is null ? "-" : BestByRmse(m),
                lastPrice is null ? "-" : ReportFormat.Price(lastPrice.Value),
                last is null ? "-" : ReportFormat.Date(last.Date),
                last is null ? "-" : ReportFormat.Price(last.Price),
                last is null ? "-" : ReportFormat.Price(last.Lower),
                last is null ? "-" : ReportFormat.Price(last.Upper),
                last is null || lastPrice is null ? "-" : ReportFormat.Change((last.Price / lastPrice.Value) - 1));
        }

        var notes = new List<string>
        {
            "Theil's U: backtest RMSE of the AR model over that of the random walk (below 1 beats the random walk).",
            "Best: the lowest backtest RMSE of one-day-ahead log-return forecasts among AR, random walk and historical mean.",
            $"Forecast: the {ReportFormat.Clean(settings.Target)} forecast for the horizon's last day with its {ReportFormat.Level(settings.IntervalLevel)} interval; Change is from the last price.",
        };
        if (detailCount < entries.Count)
        {
            notes.Add($"Details follow for the first {ReportFormat.Count(detailCount)} of {ReportFormat.Count(entries.Count)} tickers (setting Report:DetailTickers).");
        }

        return new ReportBlock("Summary", [], table, notes);
    }

    private static TickerDetail Detail(Entry e, int index, CleanPrices clean, ModelReport model, ReportSettings settings)
    {
        string ticker = ReportFormat.Clean(e.Ticker);
        var blocks = new List<ReportBlock>
        {
            DataBlock(e),
            ValidationBlock(e, clean.MissingDayPolicy, settings.MessagesPerFindingGroup),
            ModelBlock(e.Model, model),
        };
        if (e.Model is not null)
        {
            blocks.Add(BacktestBlock(e.Model));
            blocks.Add(ForecastBlock(e.Model, LastPrice(e.Series, model.Settings), e.Series, model.Settings));
        }

        return new TickerDetail(ticker, Anchor(index), blocks, e.Series, e.Model);
    }

    private static ReportBlock DataBlock(Entry e)
    {
        var facts = new List<KeyValuePair<string, string>>();
        if (e.Series is { Dates.Length: > 0 } s)
        {
            facts.Add(Fact("Range", ReportFormat.Range(s.Dates[0], s.Dates[^1])));
            string filled = s.FilledDates.Length > 0 ? $" ({ReportFormat.Count(s.FilledDates.Length)} filled forward)" : string.Empty;
            facts.Add(Fact("Rows", ReportFormat.Count(s.Dates.Length) + filled));
        }
        else
        {
            facts.Add(Fact("Rows", e.Series is null ? "no clean prices" : "0"));
        }

        if (e.Source is { } source)
        {
            facts.Add(Fact("Source", $"{ReportFormat.Clean(source.Kind)} {ReportFormat.Clean(source.Location)}"));
            facts.Add(Fact("Received", $"{ReportFormat.Plural(source.Bytes, "byte", "bytes")}, sha256 {ReportFormat.Clean(source.ContentHash)}"));
        }
        else
        {
            facts.Add(Fact("Source", "unknown (no ingest record for this ticker)"));
        }

        return new ReportBlock("Data", facts, null, []);
    }

    private static ReportBlock ValidationBlock(Entry e, string policy, int perGroup)
    {
        int warnings = e.Findings.Count(f => f.Severity == Severity.Warning);
        int infos = e.Findings.Count(f => f.Severity == Severity.Info);
        int errors = e.Findings.Count - warnings - infos;
        string counts = e.Findings.Count == 0
            ? "none"
            : $"{ReportFormat.Plural(warnings, "warning", "warnings")}, {ReportFormat.Count(infos)} info"
                + (errors > 0 ? $", {ReportFormat.Plural(errors, "error", "errors")}" : string.Empty);
        string applied = ReportFormat.Clean(policy);
        if (e.Series is { FilledDates.Length: > 0 } s)
        {
            applied += $" ({ReportFormat.Plural(s.FilledDates.Length, "day", "days")} filled: {FirstDates(s.FilledDates)})";
        }

        return new ReportBlock(
            "Validation",
            [Fact("Findings", counts), Fact("Missing-day policy", applied)],
            e.Findings.Count == 0 ? null : FindingsTable(e.Findings, perGroup, withTicker: false),
            []);
    }

    private static ReportBlock ModelBlock(TickerModel? m, ModelReport model)
    {
        if (m is null)
        {
            return new ReportBlock("Model", [Fact("Model", "none: no model was fitted for this ticker")], null, []);
        }

        var facts = new List<KeyValuePair<string, string>>
        {
            Fact("Model", $"AR({ReportFormat.Count(m.Order)}) on daily log returns of {ReportFormat.Clean(model.Settings.Target)}"),
            Fact("Intercept", ReportFormat.Signed(m.Intercept)),
        };
        for (int i = 0; i < m.Coefficients.Length; i++)
        {
            facts.Add(Fact($"phi{ReportFormat.Count(i + 1)}", ReportFormat.Signed(m.Coefficients[i])));
        }

        // The model step records AIC when the order is fixed, whatever criterion is configured.
        string criterion = model.Settings.Order == 0 ? Criterion(model.Settings) : "AIC";
        facts.Add(Fact("Sigma", ReportFormat.Small(m.Sigma)));
        facts.Add(Fact(criterion, ReportFormat.Criterion(m.InformationCriterion)));
        facts.Add(Fact("Fitting window", $"{ReportFormat.Range(m.FittedFrom, m.FittedTo)} ({ReportFormat.Plural(m.Observations, "return", "returns")})"));
        facts.Add(Fact("Data hash", ReportFormat.Clean(model.DataHash)));
        return new ReportBlock("Model", facts, null, []);
    }

    private static ReportBlock BacktestBlock(TickerModel m)
    {
        ForecastMetrics[] metrics = [m.Ar, m.RandomWalk, m.HistoricalMean];
        bool[] rmse = Best(metrics.Select(x => x.Rmse), higherIsBetter: false);
        bool[] mae = Best(metrics.Select(x => x.Mae), higherIsBetter: false);
        bool[] direction = Best(metrics.Select(x => x.DirectionalAccuracy), higherIsBetter: true);
        bool[] theil = Best(metrics.Select(x => x.TheilU), higherIsBetter: false);
        var table = new ReportTable(
            new ReportColumn("Model"),
            new ReportColumn("RMSE", Numeric: true),
            new ReportColumn("MAE", Numeric: true),
            new ReportColumn("Direction", Numeric: true),
            new ReportColumn("Theil's U", Numeric: true),
            new ReportColumn("Forecasts", Numeric: true));
        for (int i = 0; i < metrics.Length; i++)
        {
            ForecastMetrics x = metrics[i];
            table.Add(
                ModelNames[i],
                new ReportCell(ReportFormat.Small(x.Rmse), rmse[i]),
                new ReportCell(ReportFormat.Small(x.Mae), mae[i]),
                new ReportCell(ReportFormat.Percent(x.DirectionalAccuracy), direction[i]),
                new ReportCell(ReportFormat.Ratio(x.TheilU), theil[i]),
                ReportFormat.Count(x.Forecasts));
        }

        return new ReportBlock(
            "Backtest",
            [],
            table,
            ["Errors of one-day-ahead log-return forecasts; Direction is the share of days whose sign was right.", "* best of its column: lowest RMSE, MAE and Theil's U, highest Direction."]);
    }

    private static ReportBlock ForecastBlock(TickerModel m, double? lastPrice, PriceSeries? series, ModelSettings settings)
    {
        var facts = new List<KeyValuePair<string, string>>();
        if (lastPrice is not null && series is { Dates.Length: > 0 })
        {
            facts.Add(Fact("Last price", $"{ReportFormat.Price(lastPrice.Value)} on {ReportFormat.Date(series.Dates[^1])}"));
        }

        facts.Add(Fact("Horizon", ReportFormat.Plural(m.Forecast.Length, "trading day", "trading days")));
        facts.Add(Fact("Interval", $"{ReportFormat.Level(settings.IntervalLevel)} prediction interval"));
        var table = new ReportTable(
            new ReportColumn("Date"),
            new ReportColumn("Price", Numeric: true),
            new ReportColumn("Lower", Numeric: true),
            new ReportColumn("Upper", Numeric: true),
            new ReportColumn("Change", Numeric: true));
        foreach (ForecastPoint p in m.Forecast)
        {
            table.Add(
                ReportFormat.Date(p.Date),
                ReportFormat.Price(p.Price),
                ReportFormat.Price(p.Lower),
                ReportFormat.Price(p.Upper),
                lastPrice is null ? "-" : ReportFormat.Change((p.Price / lastPrice.Value) - 1));
        }

        return new ReportBlock("Forecast", facts, table, []);
    }

    private static ReportTable FindingsTable(IEnumerable<Finding> findings, int perGroup, bool withTicker)
    {
        var columns = new List<ReportColumn>();
        if (withTicker)
        {
            columns.Add(new ReportColumn("Ticker"));
        }

        columns.Add(new ReportColumn("Severity"));
        columns.Add(new ReportColumn("Code"));
        columns.Add(new ReportColumn("Count", Numeric: true));
        columns.Add(new ReportColumn("Message"));
        var table = new ReportTable([.. columns]);

        // Most serious first, then by code, so equal findings always print in the same place;
        // messages keep the order validation found them in.
        IEnumerable<IGrouping<(string Ticker, Severity Severity, string Code), Finding>> groups = findings
            .GroupBy(f => (Ticker: withTicker ? f.Ticker ?? string.Empty : string.Empty, f.Severity, Code: f.Code ?? string.Empty))
            .OrderBy(g => g.Key.Ticker, StringComparer.Ordinal)
            .ThenByDescending(g => g.Key.Severity)
            .ThenBy(g => g.Key.Code, StringComparer.Ordinal);
        foreach (IGrouping<(string Ticker, Severity Severity, string Code), Finding> group in groups)
        {
            Finding[] all = [.. group];
            int listed = Math.Min(all.Length, perGroup);
            for (int i = 0; i < Math.Max(listed, 1); i++)
            {
                bool first = i == 0;
                string message = i < listed ? ReportFormat.Clean(all[i].Message) : $"({ReportFormat.Plural(all.Length, "message", "messages")} not listed)";
                AddFindingRow(table, withTicker, first ? group.Key.Ticker : string.Empty, first ? SeverityName(group.Key.Severity) : string.Empty, first ? group.Key.Code : string.Empty, first ? ReportFormat.Count(all.Length) : string.Empty, message);
            }

            if (listed > 0 && all.Length > listed)
            {
                AddFindingRow(table, withTicker, string.Empty, string.Empty, string.Empty, string.Empty, $"(and {ReportFormat.Count(all.Length - listed)} more not listed)");
            }
        }

        return table;
    }

    private static void AddFindingRow(ReportTable table, bool withTicker, string ticker, string severity, string code, string count, string message)
    {
        if (withTicker)
        {
            table.Add(ReportFormat.Clean(ticker), severity, ReportFormat.Clean(code), count, message);
        }
        else
        {
            table.Add(severity, ReportFormat.Clean(code), count, message);
        }
    }

    private static string SeverityName(Severity severity) => severity switch
    {
        Severity.Info => "Info",
        Severity.Warning => "Warning",
        Severity.Error => "Error",
        _ => ReportFormat.Count((long)severity),
    };

    private static bool[] Best(IEnumerable<double> values, bool higherIsBetter)
    {
        double[] v = [.. values];
        double[] finite = [.. v.Where(double.IsFinite)];
        if (finite.Length == 0)
        {
            return new bool[v.Length];
        }

        double best = higherIsBetter ? finite.Max() : finite.Min();

        // Ties are all marked: the table must not suggest a winner the numbers do not show.
        return [.. v.Select(x => x == best)];
    }

    private static string BestByRmse(TickerModel m)
    {
        bool[] best = Best([m.Ar.Rmse, m.RandomWalk.Rmse, m.HistoricalMean.Rmse], higherIsBetter: false);
        string[] names = [.. ModelNames.Where((_, i) => best[i])];
        return names.Length == 0 ? "n/a" : string.Join(" = ", names);
    }

    private static double? LastPrice(PriceSeries? series, ModelSettings settings)
    {
        double[]? prices = series is null ? null : PriceChart.Target(series, settings);
        return prices is { Length: > 0 } ? prices[^1] : null;
    }

    private static string FirstDates(DateOnly[] dates)
    {
        const int Shown = 5;
        string listed = string.Join(", ", dates.Take(Shown).Select(ReportFormat.Date));
        return dates.Length > Shown ? $"{listed}, ..." : listed;
    }

    private static string Criterion(ModelSettings settings) => ReportFormat.Clean(settings.Criterion).ToUpperInvariant();

    private static string Anchor(int index) => "t" + ReportFormat.Count(index + 1);

    private static KeyValuePair<string, string> Fact(string label, string value) => new(label, value);

    private sealed record Entry(string Ticker, PriceSeries? Series, TickerModel? Model, SourceInfo? Source)
    {
        public List<Finding> Findings { get; } = [];
    }
}
