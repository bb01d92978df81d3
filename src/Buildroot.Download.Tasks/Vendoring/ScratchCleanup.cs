using System.Runtime.Versioning;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>Deletes a scratch folder, read-only folders (Go leaves some) included; best effort.</summary>
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
            // A leftover in the temp folder is harmless; failing the build over it is not.
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
