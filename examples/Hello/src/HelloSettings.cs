using System.ComponentModel.DataAnnotations;

namespace Hello;

/// <summary>The pipeline's parameters, bound from the "Hello" section of config/appsettings.json.</summary>
public sealed class HelloSettings
{
    /// <summary>Gets or sets the report to write, relative to the project.</summary>
    [Required]
    public string Report { get; set; } = "reports/hello.txt";

    /// <summary>Gets or sets the z-score beyond which a value is called an outlier.</summary>
    [Range(0.5, 10)]
    public double OutlierThreshold { get; set; } = 2.0;

    /// <summary>Gets or sets simulated work per step, to watch a run (and to test cancellation).</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the size of <c>data/expanded.json</c>, the large artifact the <c>expand</c> step publishes (for crash and load tests).</summary>
    /// <value>The default value is 0 (an empty array, so a normal run writes almost nothing extra).</value>
    [Range(0, 1024)]
    public int PayloadMegabytes { get; set; }

    /// <summary>Gets or sets a step that should fail on purpose (fault injection for tests and demos).</summary>
    public string? FailStep { get; set; }
}
