namespace Sluice.Cli.Tests;

/// <summary>A throwaway project folder with the sample's config and data, deleted afterwards.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject(bool withSample = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "sluice-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        if (withSample)
        {
            string sample = Path.Combine(AppContext.BaseDirectory, "sample");
            foreach (string file in Directory.GetFiles(sample, "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(Root, Path.GetRelativePath(sample, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }

    public string Root { get; }

    public string PathTo(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        string path = PathTo(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process still being torn down may hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
