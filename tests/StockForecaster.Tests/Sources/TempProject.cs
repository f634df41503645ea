namespace StockForecaster.Tests.Sources;

/// <summary>A throwaway project folder for one test, deleted afterwards.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject()
    {
        Root = Path.Combine(Path.GetTempPath(), "ingest-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="relativePath"/> and returns the path.</summary>
    public string Write(string relativePath, byte[] bytes)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return relativePath;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark.</summary>
    public string Write(string relativePath, string text) => Write(relativePath, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Copies the bundled data shipped beside the tests (forecaster/data) into the project.</summary>
    public void CopyBundledData()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "forecaster", "data");
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(Root, "data", Path.GetFileName(file)));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the OS in the end.
        }
    }
}
