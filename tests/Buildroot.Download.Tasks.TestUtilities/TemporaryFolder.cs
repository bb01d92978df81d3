namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>A fresh folder under the system temp folder, deleted (best effort) on dispose.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder(string? hint = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "brdl-tests", $"{hint ?? "t"}-{Guid.NewGuid():N}"[..Math.Min(40, (hint ?? "t").Length + 33)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside this folder (not created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a text file (creating its folders) and returns its full path.</summary>
    public string WriteFile(string relativePath, string content)
    {
        string path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            MakeWritable(Path);
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // Go's module cache and git's objects are read-only; deletion needs write permission on folders.
    private static void MakeWritable(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return;
        }

        foreach (string directory in Directory.EnumerateDirectories(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Prepend(folder))
        {
            try
            {
                File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead);
            }
            catch (IOException)
            {
            }
        }
    }
}
