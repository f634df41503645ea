using Sluice.State;
using Xunit;

namespace Sluice.Sqlite.Tests;

public sealed class StoredValuesTests
{
    [Fact]
    public void Text_OfEveryValue_IsItsToText()
    {
        Assert.All(Enum.GetValues<RunStatus>(), v => Assert.Equal(v.ToText(), StoredValues.Text(v)));
        Assert.All(Enum.GetValues<StepStatus>(), v => Assert.Equal(v.ToText(), StoredValues.Text(v)));
        Assert.All(Enum.GetValues<AttemptOutcome>(), v => Assert.Equal(v.ToText(), StoredValues.Text(v)));
        Assert.All(Enum.GetValues<RunEventKind>(), v => Assert.Equal(v.ToText(), StoredValues.Text(v)));
    }

    [Fact]
    public void Time_RoundTripsEveryTickAsFixedWidthUtc()
    {
        DateTimeOffset local = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-7)).AddTicks(7);

        string text = StoredValues.Time(local);

        Assert.Equal("2026-01-02T10:04:05.0000007Z", text);
        Assert.Equal((local, TimeSpan.Zero), (StoredValues.ParseTime(text), StoredValues.ParseTime(text).Offset));
    }

    [Fact]
    public void Time_IsTheRoundTripFormatOfTheUtcInstant()
    {
        // The writer's own formatter must give exactly what "O" gives for UTC, across the calendar and every tick digit.
        var random = new Random(20261127);
        DateTimeOffset[] edges =
        [
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(1999, 12, 31, 23, 59, 59, TimeSpan.Zero),
            new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.FromHours(14)).AddTicks(9_999_999),
        ];
        IEnumerable<DateTimeOffset> randomOnes = Enumerable.Range(0, 10_000).Select(_ =>
            new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero));

        Assert.All(edges.Concat(randomOnes), t =>
            Assert.Equal(t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), StoredValues.Time(t)));
    }
}
