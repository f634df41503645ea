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
}
