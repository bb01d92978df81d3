using System.Runtime.InteropServices;

namespace Buildroot.Download.Tasks.Download;

/// <summary>Hard links, which .NET has no API for: <c>link(2)</c> from libc on Unix.</summary>
internal static class HardLink
{
    /// <summary>Creates <paramref name="link"/> as a hard link to <paramref name="existing"/>; false when not possible (other file system, Windows).</summary>
    public static bool TryCreate(string existing, string link)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        return Link(existing, link) == 0;
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code for a one-line call.
    // Strings marshal as UTF-8 on Unix, which is what the kernel takes.
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string link);
}
