using System.Runtime.Versioning;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Deletes a scratch folder, read-only folders (Go and git leave some) included; best effort,
/// since a scratch folder is never in the download folder and a leftover is harmless.
/// </summary>
internal static class ScratchCleanup
{
    public static void Delete(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        try
        {
            if (!OperatingSystem.IsWindows())
            {
                MakeFoldersWritable(folder);
            }

            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder is harmless; failing the build over it is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static void MakeFoldersWritable(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (string directory in Directory.EnumerateDirectories(folder, "*", options).Prepend(folder))
        {
            File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
