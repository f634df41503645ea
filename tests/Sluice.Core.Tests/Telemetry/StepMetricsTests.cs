namespace Sluice.Telemetry;

public sealed class StepMetricsTests
{
    [Theory]
    [InlineData("Rows Ingested")]
    [InlineData("1rows")]
    [InlineData("rows-ingested")]
    [InlineData("")]
    public void Record_InvalidName_SaysWhatIsAllowedWithAnExample(string name)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => StepMetrics.None.Record(name, 1));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("lower-case letters, digits, '_' and '.'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'rows_ingested'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Record_NotFinite_IsRefused(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => StepMetrics.None.Record("rmse", value));

    [Fact]
    public void Record_UnitWithSpaces_IsRefused()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => StepMetrics.None.Record("size", 1, "mega bytes"));
        Assert.Contains("Unit 'mega bytes'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_ValidNames_AreAccepted()
    {
        StepMetrics.None.Record("rows_ingested", 5105);
        StepMetrics.None.Record("model.rmse", 0.0123, "ratio");
    }
}
