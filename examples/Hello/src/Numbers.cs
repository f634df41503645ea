using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Sluice.Definitions;
using Sluice.Execution;

namespace Hello;

/// <summary>The domain logic: plain functions of their inputs, each testable without Sluice.</summary>
public static class Numbers
{
    /// <summary>Reads one number per line; a bad line is a data error naming file and line, never retried.</summary>
    public static async Task<double[]> LoadAsync(ProjectFile input, HelloSettings settings, StepContext ctx)
    {
        await WorkAsync(settings, ctx);
        string[] lines = await File.ReadAllLinesAsync(ctx.PathTo(input.RelativePath), ctx.CancellationToken);
        var values = new List<double>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new DataValidationException($"{input.RelativePath}:{i + 1}: expected a number, found '{line}'.");
            }

            values.Add(value);
        }

        ctx.Logger.LogInformation("Read {Count} values from {File}", values.Count, input.RelativePath);
        return [.. values];
    }

    /// <summary>Computes count, mean and sample standard deviation.</summary>
    public static async Task<Summary> SummarizeAsync(double[] values, HelloSettings settings, StepContext ctx)
    {
        await WorkAsync(settings, ctx);
        if (values.Length < 2)
        {
            throw new DataValidationException($"Need at least 2 values to summarise, found {values.Length}.");
        }

        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        ctx.Logger.LogInformation("Mean {Mean:F3}, standard deviation {Sd:F3}", mean, sd);
        return new Summary(values.Length, mean, sd);
    }

    /// <summary>Returns each value's z-score.</summary>
    public static async Task<double[]> NormalizeAsync(double[] values, Summary stats, HelloSettings settings, StepContext ctx)
    {
        await WorkAsync(settings, ctx);
        return [.. values.Select(v => (v - stats.Mean) / stats.StandardDeviation)];
    }

    /// <summary>Expands the values into about <see cref="HelloSettings.PayloadMegabytes"/> MB of JSON numbers, the same bytes on every run.</summary>
    /// <remarks>Each element is a loaded value plus a small offset from its index; IEEE arithmetic makes it deterministic.</remarks>
    public static async Task<double[]> ExpandAsync(double[] values, HelloSettings settings, StepContext ctx)
    {
        await WorkAsync(settings, ctx);
        if (values.Length == 0 || settings.PayloadMegabytes == 0)
        {
            return [];
        }

        // A number like "99.32000199999999," on its own indented line takes about 16 bytes of JSON.
        long count = settings.PayloadMegabytes * (1L << 20) / 16;
        var expanded = new double[count];
        for (long i = 0; i < count; i++)
        {
            expanded[i] = values[i % values.Length] + ((i % 1000) / 1e6);
        }

        ctx.Logger.LogInformation("Expanded {Count} values to {Expanded}", values.Length, count);
        return expanded;
    }

    /// <summary>Writes the report through a temporary file and a rename, so a reader never sees half of it.</summary>
    public static async Task WriteReportAsync(Summary stats, double[] scores, HelloSettings settings, StepContext ctx)
    {
        await WorkAsync(settings, ctx);
        int outliers = scores.Count(z => Math.Abs(z) > settings.OutlierThreshold);
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"values:   {stats.Count}")
            .AppendLine(CultureInfo.InvariantCulture, $"mean:     {stats.Mean:F4}")
            .AppendLine(CultureInfo.InvariantCulture, $"std dev:  {stats.StandardDeviation:F4}")
            .AppendLine(CultureInfo.InvariantCulture, $"outliers: {outliers} (|z| > {settings.OutlierThreshold})")
            .ToString();
        string report = ctx.PathTo(settings.Report);
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        string temp = report + ".tmp";
        await File.WriteAllTextAsync(temp, text, ctx.CancellationToken);
        File.Move(temp, report, overwrite: true);
        ctx.Logger.LogInformation("Wrote {Report}", settings.Report);
    }

    private static async Task WorkAsync(HelloSettings settings, StepContext ctx)
    {
        if (settings.StepDelay > TimeSpan.Zero)
        {
            await Task.Delay(settings.StepDelay, ctx.Time, ctx.CancellationToken);
        }

        if (string.Equals(settings.FailStep, ctx.Step, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Step '{ctx.Step}' failed on purpose (Hello:FailStep).");
        }
    }
}
