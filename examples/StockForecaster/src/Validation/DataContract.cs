using System.Text;
using System.Text.Json;

namespace StockForecaster.Validation;

/// <summary>What the clean/validate step expects of every source: columns, date format, and the policies for drift, gaps, stale prices and outliers.</summary>
/// <remarks>
/// Loaded once from <c>config/contract.json</c> (whose <c>version</c> is 1) and immutable after.
/// The contract declares all seven columns the forecaster stores (date, open, high, low, close, adjclose, volume); date and close must be required.
/// An absent optional column is substituted: adjclose and open by close, high by the larger and low by the smaller of open and close, volume by 0.
/// </remarks>
public sealed class DataContract
{
    private readonly ColumnContract[] byField;
    private readonly PriceField[] fields;
    private readonly string[][] namesByField;

    internal DataContract(ColumnContract[] columns, string dateFormat, SchemaDriftPolicy schemaDrift, MissingDayPolicy missingDays, int staleDays, double outlierK)
    {
        Columns = columns;
        DateFormat = dateFormat;
        SchemaDrift = schemaDrift;
        MissingDays = missingDays;
        StaleDays = staleDays;
        OutlierK = outlierK;
        byField = new ColumnContract[HeaderNames.Canonical.Count];
        namesByField = new string[HeaderNames.Canonical.Count][];
        fields = new PriceField[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            ColumnContract column = columns[i];
            fields[i] = HeaderNames.FieldOf(HeaderNames.Normalize(column.Name))!.Value;
            byField[(int)fields[i]] = column;
            namesByField[(int)fields[i]] = [HeaderNames.Normalize(column.Name), .. column.Aliases.Select(HeaderNames.Normalize)];
        }

        IsoDates = dateFormat == "yyyy-MM-dd";
    }

    /// <summary>Gets the declared columns in contract order.</summary>
    public IReadOnlyList<ColumnContract> Columns { get; }

    /// <summary>Gets the exact format of date values, for example <c>yyyy-MM-dd</c>.</summary>
    public string DateFormat { get; }

    /// <summary>Gets what happens when a header differs from the contract.</summary>
    public SchemaDriftPolicy SchemaDrift { get; }

    /// <summary>Gets what happens to trading days that have no row.</summary>
    public MissingDayPolicy MissingDays { get; }

    /// <summary>Gets how many consecutive trading days with the same close make a stale-price warning.</summary>
    public int StaleDays { get; }

    /// <summary>Gets k: a log return whose magnitude exceeds k standard deviations of the series' log returns is flagged as an outlier.</summary>
    public double OutlierK { get; }

    /// <summary>Gets whether the date format is ISO <c>yyyy-MM-dd</c>, which has a fast parser.</summary>
    internal bool IsoDates { get; }

    /// <summary>Reads the contract from the file at <paramref name="path"/>, naming it <paramref name="location"/> in messages; throws <see cref="DataContractException"/> listing every problem.</summary>
    public static DataContract Load(string path, string location)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataContractException(location, [$"{location}: the file does not exist: create it or fix the path."]);
        }

        return Parse(bytes, location);
    }

    /// <summary>Reads the contract from JSON text, naming it <paramref name="location"/> in messages; throws <see cref="DataContractException"/> listing every problem.</summary>
    public static DataContract Parse(string json, string location) => Parse(Encoding.UTF8.GetBytes(json), location);

    /// <summary>Returns the field the contract column at <paramref name="position"/> feeds.</summary>
    internal PriceField FieldAt(int position) => fields[position];

    /// <summary>Returns the contract column that feeds <paramref name="field"/>.</summary>
    internal ColumnContract Column(PriceField field) => byField[(int)field];

    /// <summary>Returns the normalized names a header may use for <paramref name="field"/>: the canonical name, then the aliases.</summary>
    internal string[] NamesOf(PriceField field) => namesByField[(int)field];

    private static DataContract Parse(byte[] utf8, string location)
    {
        LocatedJson root;
        try
        {
            root = LocatedJson.Parse(utf8);
        }
        catch (JsonException e)
        {
            // The reader's message ends with its own position; ours leads with file and line instead.
            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = cut >= 0 ? reason[..cut] : reason;
            throw new DataContractException(location, [$"{location}:{e.LineNumber + 1}: not valid JSON: {reason}"]);
        }

        return ContractReader.Read(root, location);
    }
}
