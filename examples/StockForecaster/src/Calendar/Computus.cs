namespace StockForecaster.Calendar;

/// <summary>The date of Easter Sunday in the Gregorian calendar, which Good Friday hangs on.</summary>
internal static class Computus
{
    /// <summary>Returns Easter Sunday of <paramref name="year"/> (Gregorian, as Western churches and the NYSE reckon it).</summary>
    /// <remarks>
    /// Easter is the first Sunday after the ecclesiastical full moon on or after March 21. This is the
    /// anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8): integer arithmetic only,
    /// exact for every Gregorian year.
    /// </remarks>
    internal static DateOnly EasterSunday(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1583);

        int cycleYear = year % 19;              // position in the 19-year Metonic cycle
        int century = year / 100;
        int yearOfCentury = year % 100;
        int skippedLeapDays = century / 4;
        int centuryLeapRemainder = century % 4;
        int lunarCorrection = (century + 8) / 25;
        int moonOrbitCorrection = (century - lunarCorrection + 1) / 3;

        // Days from March 21 to the ecclesiastical full moon (the epact, in effect).
        int fullMoonOffset = ((19 * cycleYear) + century - skippedLeapDays - moonOrbitCorrection + 15) % 30;

        // Days from that full moon to the following Sunday, less one.
        int toSunday = (32 + (2 * centuryLeapRemainder) + (2 * (yearOfCentury / 4)) - fullMoonOffset - (yearOfCentury % 4)) % 7;

        // 1 only where the Gregorian tables' two exceptions apply: it moves an Easter that would fall on
        // April 26 (or, late in the lunar cycle, April 25) back a week.
        int exception = (cycleYear + (11 * fullMoonOffset) + (22 * toSunday)) / 451;

        int daysFromMarch = fullMoonOffset + toSunday - (7 * exception) + 114;
        return new DateOnly(year, daysFromMarch / 31, (daysFromMarch % 31) + 1);
    }
}
