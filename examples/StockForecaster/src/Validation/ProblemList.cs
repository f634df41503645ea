namespace StockForecaster.Validation;

/// <summary>The errors of one series: every one counted, the first <see cref="Limit"/> kept in words, so a broken file of millions of lines stays readable and cheap.</summary>
internal sealed class ProblemList
{
    /// <summary>How many problems per series are described; the rest are counted as "and N more".</summary>
    public const int Limit = 20;

    private readonly List<string> shown = [];

    /// <summary>Gets the number of problems, described or not.</summary>
    public int Count { get; private set; }

    /// <summary>Gets whether the next problem will be described, so callers can skip building its message.</summary>
    public bool WantsDetail => shown.Count < Limit;

    /// <summary>Gets the described problems in the order found.</summary>
    public IReadOnlyList<string> Shown => shown;

    /// <summary>Records a problem, keeping its message while under the limit.</summary>
    public void Add(string problem)
    {
        if (WantsDetail)
        {
            shown.Add(problem);
        }

        Count++;
    }

    /// <summary>Records a problem past the limit without describing it.</summary>
    public void AddUndescribed() => Count++;
}
