using Sluice.Definitions;
using StockForecaster.Sources;

namespace StockForecaster.Tests.Sources;

public sealed class ProjectSecretSourceTests : IDisposable
{
    private readonly TempProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Get_EnvironmentVariableSet_WinsOverTheFile()
    {
        _project.Write("config/secrets.json", """{ "AV_KEY": "from-file" }""");
        var secrets = new ProjectSecretSource(_project.Root, name => name == "AV_KEY" ? "from-env" : null);

        Assert.Equal("from-env", secrets.Get("AV_KEY"));
    }

    [Fact]
    public void Get_OnlyInTheFile_ReadsTheFile()
    {
        _project.Write("config/secrets.json", """{ "AV_KEY": "from-file", "OTHER": "x" }""");
        var secrets = new ProjectSecretSource(_project.Root, _ => null);

        Assert.Equal("from-file", secrets.Get("AV_KEY"));
    }

    [Fact]
    public void Get_NowhereOrEmpty_IsNull()
    {
        _project.Write("config/secrets.json", """{ "EMPTY": "" }""");
        var secrets = new ProjectSecretSource(_project.Root, name => name == "EMPTY" ? "" : null);

        Assert.Null(secrets.Get("AV_KEY"));
        Assert.Null(secrets.Get("EMPTY"));
        Assert.Null(new ProjectSecretSource(Path.Combine(_project.Root, "no-such-project"), _ => null).Get("AV_KEY"));
    }

    [Fact]
    public void DescribeLookup_NamesTheVariableAndTheFile()
    {
        var secrets = new ProjectSecretSource(_project.Root, _ => null);

        Assert.Equal(
            $"the environment variable AV_KEY and the entry \"AV_KEY\" of {Path.Combine(_project.Root, "config/secrets.json")}",
            secrets.DescribeLookup("AV_KEY"));
    }

    [Fact]
    public void Get_MalformedFile_FailsNamingTheFileButNotItsContent()
    {
        _project.Write("config/secrets.json", "{ \"AV_KEY\": \"abc\nSECRETVALUE");
        var secrets = new ProjectSecretSource(_project.Root, _ => null);

        var e = Assert.Throws<DataValidationException>(() => secrets.Get("AV_KEY"));

        Assert.StartsWith($"{Path.Combine(_project.Root, "config/secrets.json")} is not valid JSON (line ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void Get_EntryNotAString_FailsNamingTheEntryButNotItsValue()
    {
        _project.Write("config/secrets.json", """{ "AV_KEY": 123456789 }""");
        var secrets = new ProjectSecretSource(_project.Root, _ => null);

        var e = Assert.Throws<DataValidationException>(() => secrets.Get("AV_KEY"));

        Assert.Contains("Entry \"AV_KEY\" of", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789", e.Message, StringComparison.Ordinal);
    }
}
