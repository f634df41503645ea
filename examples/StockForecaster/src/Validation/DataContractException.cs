using Sluice.Definitions;

namespace StockForecaster.Validation;

/// <summary>Thrown when a data contract file cannot be used; every problem is listed with file, line and JSON path. Never retried: the file will not fix itself.</summary>
public sealed class DataContractException : DataValidationException
{
    /// <summary>Creates the exception listing every problem found in the contract at <paramref name="location"/>.</summary>
    public DataContractException(string location, IReadOnlyList<string> problems)
        : base(Describe(location, problems))
    {
        Location = location;
        Problems = problems;
    }

    /// <summary>Gets the contract file as named in the messages, for example <c>config/contract.json</c>.</summary>
    public string Location { get; }

    /// <summary>Gets each problem, one sentence each, in the order found.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(string location, IReadOnlyList<string> problems) =>
        $"{problems.Count} {(problems.Count == 1 ? "problem" : "problems")} in data contract '{location}':\n  " + string.Join("\n  ", problems);
}
