using Sluice.Definitions;
using StockForecaster.Validation;

namespace StockForecaster.Tests.Validation;

public class DataContractTests
{
    private const string Location = "config/contract.json";

    [Fact]
    public void Load_BundledContract_DeclaresSevenColumnsAndStrictPolicies()
    {
        DataContract contract = DataContract.Load(Path.Combine(AppContext.BaseDirectory, "forecaster", "config", "contract.json"), Location);

        Assert.Equal(["date", "open", "high", "low", "close", "adjclose", "volume"], contract.Columns.Select(c => c.Name));
        Assert.Equal("yyyy-MM-dd", contract.DateFormat);
        Assert.Equal(SchemaDriftPolicy.Fail, contract.SchemaDrift);
        Assert.Equal(MissingDayPolicy.Fail, contract.MissingDays);
        Assert.Equal(5, contract.StaleDays);
        Assert.Equal(8, contract.OutlierK);
        ColumnContract adjClose = contract.Columns[5];
        Assert.False(adjClose.Required);
        Assert.Equal(ColumnType.DecimalNumber, adjClose.Type);
        Assert.Contains("Adj Close", adjClose.Aliases);
        Assert.Equal(ColumnType.WholeNumber, contract.Columns[6].Type);
    }

    [Fact]
    public void Parse_UnknownKey_NamesFileLinePathAndTheLikelyKey()
    {
        string json = Sources.ContractJson().Replace("\"staleDays\"", "\"staleDay\"", StringComparison.Ordinal);

        var e = Assert.Throws<DataContractException>(() => DataContract.Parse(json, Location));

        Assert.Equal(
            [
                "config/contract.json:13 ($.policies.staleDay): unknown key 'staleDay'. Did you mean 'staleDays'?",
                "config/contract.json:13 ($.policies): missing key 'staleDays'.",
            ],
            e.Problems);
        Assert.Equal("2 problems in data contract 'config/contract.json':\n  " + string.Join("\n  ", e.Problems), e.Message);
        Assert.IsAssignableFrom<DataValidationException>(e);
    }

    [Fact]
    public void Parse_UnknownKeyWithNoLookAlike_ListsTheKeysAllowedThere()
    {
        string json = Sources.ContractJson().Replace("\"version\": 1,", "\"version\": 1, \"owner\": \"me\",", StringComparison.Ordinal);

        var e = Assert.Throws<DataContractException>(() => DataContract.Parse(json, Location));

        Assert.Equal(["config/contract.json:2 ($.owner): unknown key 'owner': the keys here are version, dateFormat, columns, policies."], e.Problems);
    }

    [Fact]
    public void Parse_BadColumnType_NamesTheKeyAndTheChoices()
    {
        string json = Sources.ContractJson().Replace("\"name\": \"high\", \"type\": \"decimal\"", "\"name\": \"high\", \"type\": \"float\"", StringComparison.Ordinal);

        var e = Assert.Throws<DataContractException>(() => DataContract.Parse(json, Location));

        Assert.Equal(["config/contract.json:7 ($.columns[2].type): 'float' is not a column type: use 'date', 'decimal' or 'integer'."], e.Problems);
    }

    [Fact]
    public void Parse_ValuesOfTheWrongKind_ReportsEveryProblemAtOnce()
    {
        string json = Sources.ContractJson(missingDays: "skip", staleDays: 1)
            .Replace("\"required\": true },\n    { \"name\": \"open\"", "\"required\": \"yes\" },\n    { \"name\": \"open\"", StringComparison.Ordinal)
            .Replace("\"name\": \"volume\", \"type\": \"integer\"", "\"name\": \"volume\", \"type\": \"decimal\"", StringComparison.Ordinal);

        var e = Assert.Throws<DataContractException>(() => DataContract.Parse(json, Location));

        Assert.Equal(
            [
                "config/contract.json:5 ($.columns[0].required): expected true or false, found \"yes\".",
                "config/contract.json:11 ($.columns[6].type): column 'volume' cannot have type 'decimal': the forecaster stores it as 'integer'.",
                "config/contract.json:13 ($.policies.missingDays): 'skip' is not a missing-day policy: use 'fail', 'warn' or 'fill-forward'.",
                "config/contract.json:13 ($.policies.staleDays): expected a whole number of days, 2 or more, found 1.",
            ],
            e.Problems);
        Assert.StartsWith("4 problems in data contract 'config/contract.json':", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownColumnName_SuggestsTheCanonicalOne()
    {
        string json = Sources.ContractJson().Replace("\"name\": \"close\"", "\"name\": \"clsoe\"", StringComparison.Ordinal);

        var e = Assert.Throws<DataContractException>(() => DataContract.Parse(json, Location));

        Assert.Equal(["config/contract.json:9 ($.columns[4].name): 'clsoe' is not a column the forecaster stores: use one of date, open, high, low, close, adjclose, volume (did you mean 'close'?)."], e.Problems);
    }

    [Fact]
    public void Parse_OptionalClose_IsRejected()
    {
        string json = Sources.ContractJson().Replace("\"name\": \"close\", \"type\": \"decimal\", \"required\": true", "\"name\": \"close\", \"type\": \"decimal\", \"required\": false", StringComparison.Ordinal);

        var e = Assert.Throws<DataContractException>(() => DataContract.Parse(json, Location));

        Assert.Equal(["config/contract.json:9 ($.columns[4].required): column 'close' must be required: a series without closes cannot be modelled."], e.Problems);
    }

    [Fact]
    public void Parse_UndeclaredColumn_AsksForItsDeclaration()
    {
        string json = Sources.ContractJson().Replace("    { \"name\": \"low\", \"type\": \"decimal\", \"required\": true },\n", "", StringComparison.Ordinal);

        var e = Assert.Throws<DataContractException>(() => DataContract.Parse(json, Location));

        Assert.Equal(["config/contract.json:4 ($.columns): column 'low' is not declared: declare it, as required or optional."], e.Problems);
    }

    [Fact]
    public void Parse_NotJson_NamesTheLine()
    {
        var e = Assert.Throws<DataContractException>(() => DataContract.Parse("{\n  \"version\": 1\n  \"dateFormat\": \"yyyy-MM-dd\"\n}", Location));

        string problem = Assert.Single(e.Problems);
        Assert.StartsWith("config/contract.json:3: not valid JSON: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnusableDateFormat_IsRejected()
    {
        string json = Sources.ContractJson().Replace("yyyy-MM-dd", "yyyy-MM", StringComparison.Ordinal);

        var e = Assert.Throws<DataContractException>(() => DataContract.Parse(json, Location));

        Assert.Equal(["config/contract.json:3 ($.dateFormat): \"yyyy-MM\" is not a date format that keeps year, month and day: use a .NET custom format such as \"yyyy-MM-dd\"."], e.Problems);
    }

    [Fact]
    public void Load_MissingFile_SaysSo()
    {
        var e = Assert.Throws<DataContractException>(() => DataContract.Load(Path.Combine(AppContext.BaseDirectory, "no-such-contract.json"), Location));

        Assert.Equal(["config/contract.json: the file does not exist: create it or fix the path."], e.Problems);
    }
}
