namespace Buildroot.Download.Tasks.Download;

/// <summary>The mode Buildroot gives a downloaded file: 0644, or 0755 when executable, less the umask.</summary>
internal static class FileModes
{
    private const UnixFileMode ReadWriteReadRead =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode ExecuteBits =
        UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static readonly Lazy<UnixFileMode?> ProcessUmask = new(ReadUmask);

    /// <param name="path">A downloaded file, whatever mode the backend that wrote it gave it.</param>
    public static void SetDownloadedFileMode(string path, bool executable)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // .NET cannot read the umask without changing it (a race with every other thread), but
        // Linux shows it in /proc; elsewhere, the file's own mode stands in for "0666 less the
        // umask", which holds for a file a backend created without asking for a mode.
        UnixFileMode allowed = ProcessUmask.Value is { } umask ? ~umask : File.GetUnixFileMode(path);
        UnixFileMode mode = allowed & ReadWriteReadRead;
        if (executable)
        {
            // Execute wherever read survived the umask (umasks treat r and x alike in practice).
            mode |= (UnixFileMode)(((int)mode & 0b100_100_100) >> 2) & ExecuteBits;
        }

        File.SetUnixFileMode(path, mode);
    }

    /// <summary>The "Umask:" line of /proc/self/status (Linux 4.7 and later), or null.</summary>
    private static UnixFileMode? ReadUmask()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                {
                    return (UnixFileMode)Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // No /proc: fall back on the file's own mode.
        }

        return null;
    }
}
