using Microsoft.Extensions.Configuration;
using Sluice.Cli.Hosting;

namespace Sluice.Cli.Tests.Hosting;

public sealed class IndexedConfigurationProviderTests
{
    private static IConfigurationRoot Stock()
    {
        string json = Path.Combine(Path.GetTempPath(), "sluice-config-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(json, """
            {
              "Ingest": { "Sources": [ { "Ticker": "A", "Path": "data/a.csv" }, { "Ticker": "B" } ], "AsOf": "2026-11-27" },
              "Model": { "Order": 1, "Window": 500 },
              "Top": "value"
            }
            """);
        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(json)
                .AddInMemoryCollection([new("model:window", "250"), new("Ingest:Sources:1:Path", "data/b.csv"), new("Ingest:Sources:10:Ticker", "K")])
                .Build();
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void Snapshot_SeesExactlyWhatTheStockRootSees()
    {
        IConfigurationRoot stock = Stock();

        IConfigurationRoot indexed = IndexedConfigurationProvider.Snapshot(stock);

        Assert.NotSame(stock, indexed);
        // Keys are case-insensitive; which spelling a merged key keeps is not part of the contract.
        Assert.Equal(Flat(stock), Flat(indexed));
        Assert.Equal(
            stock.GetSection("Ingest:Sources").GetChildren().Select(c => c.Key),
            indexed.GetSection("ingest:sources").GetChildren().Select(c => c.Key));
        Assert.Equal(["0", "1", "10"], indexed.GetSection("Ingest:Sources").GetChildren().Select(c => c.Key));
        Assert.Equal("250", indexed["Model:Window"]);
        Assert.Empty(indexed.GetSection("Top").GetChildren());
    }

    private static List<KeyValuePair<string, string?>> Flat(IConfiguration configuration) =>
        [.. configuration.AsEnumerable().Select(p => new KeyValuePair<string, string?>(p.Key.ToUpperInvariant(), p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal)];

    [Fact]
    public void Snapshot_ProviderItCannotRead_KeepsTheStockRoot()
    {
        IConfigurationRoot stock = new ConfigurationBuilder().Add(new OpaqueSource()).Build();

        Assert.Same(stock, IndexedConfigurationProvider.Snapshot(stock));
    }

    private sealed class OpaqueSource : IConfigurationSource, IConfigurationProvider
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) => earlierKeys;

        public Microsoft.Extensions.Primitives.IChangeToken GetReloadToken() => new Microsoft.Extensions.Primitives.CancellationChangeToken(CancellationToken.None);

        public void Load()
        {
        }

        public void Set(string key, string? value)
        {
        }

        public bool TryGet(string key, out string? value)
        {
            value = null;
            return false;
        }
    }
}
