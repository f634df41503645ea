namespace StockForecaster.Calendar;

/// <summary>Full-day closures of the NYSE outside its holiday rules, from 1990 on.</summary>
internal static class NyseSpecialClosures
{
    /// <summary>Gets every unscheduled full-day closure since 1990, ascending.</summary>
    /// <remarks>
    /// Source: the NYSE's announcements of each closure (NYSE Group / ICE press releases, e.g. of
    /// 2024-12-30 for President Carter), cross-checked against the NYSE's historical closings list as
    /// kept in the test data of pandas_market_calendars. Early closes (shortened sessions) are not
    /// closures: the exchange traded on those days. A new closure is added here when the NYSE announces it.
    /// </remarks>
    internal static IReadOnlyList<Closure> All { get; } =
    [
        new(new DateOnly(1994, 4, 27), "Day of mourning for President Nixon"),
        new(new DateOnly(2001, 9, 11), "September 11 attacks"),
        new(new DateOnly(2001, 9, 12), "September 11 attacks"),
        new(new DateOnly(2001, 9, 13), "September 11 attacks"),
        new(new DateOnly(2001, 9, 14), "September 11 attacks"),
        new(new DateOnly(2004, 6, 11), "Day of mourning for President Reagan"),
        new(new DateOnly(2007, 1, 2), "Day of mourning for President Ford"),
        new(new DateOnly(2012, 10, 29), "Hurricane Sandy"),
        new(new DateOnly(2012, 10, 30), "Hurricane Sandy"),
        new(new DateOnly(2018, 12, 5), "Day of mourning for President George H. W. Bush"),
        new(new DateOnly(2025, 1, 9), "Day of mourning for President Carter"),
    ];
}
