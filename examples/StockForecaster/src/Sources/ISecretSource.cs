namespace StockForecaster.Sources;

/// <summary>Looks up secrets such as API keys by name, so settings hold names and never values.</summary>
public interface ISecretSource
{
    /// <summary>Returns the secret called <paramref name="name"/>, or <see langword="null"/> when it is not set.</summary>
    string? Get(string name);

    /// <summary>Describes where <see cref="Get"/> looks for <paramref name="name"/>, for the message when it is missing.</summary>
    string DescribeLookup(string name) => $"{GetType().Name}";
}
