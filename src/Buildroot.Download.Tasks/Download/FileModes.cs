namespace Buildroot.Download.Tasks.Download;

/// <summary>The mode Buildroot gives a downloaded file: 0644, or 0755 when executable, less the umask.</summary>
internal static class FileModes
{
    private const UnixFileMode ReadWriteReadRead =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode ExecuteBits =
        UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <param name="path">A file we just created: the kernel gave it 0666 less the umask.</param>
    public static void SetDownloadedFileMode(string path, bool executable)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // .NET cannot read the umask without changing it, but a file it just created carries
        // 0666 less the umask: keeping only 0644 of that is exactly "0644 less the umask".
        UnixFileMode created = File.GetUnixFileMode(path);
        UnixFileMode mode = created & ReadWriteReadRead;
        if (executable)
        {
            // Execute wherever read survived the umask (umasks treat r and x alike in practice).
            mode |= (UnixFileMode)(((int)mode & 0b100_100_100) >> 2) & ExecuteBits;
        }

        File.SetUnixFileMode(path, mode);
    }
}
