using System.ComponentModel.DataAnnotations;

namespace Sluice.Configuration;

/// <summary>Retention of old artifact versions, the configuration section <c>Sluice:Gc</c>.</summary>
public sealed class GcSettings
{
    /// <summary>Gets or sets how many of the newest runs' checkpoints <c>gc</c> keeps when <c>--keep</c> is not given.</summary>
    /// <value>The default value is 10.</value>
    [Range(0, int.MaxValue)]
    public int KeepRuns { get; set; } = 10;
}
