using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// A file's size and last write time: what says, without reading the file, that it is the one
/// seen before. Any rewrite changes the time (a rename over it brings the other file's), and
/// most change the size. Written as <c>&lt;size&gt; &lt;ticks&gt;</c>.
/// </summary>
internal readonly record struct FileFingerprint(long Length, long LastWriteTicks)
{
    // FAT keeps times to 2 s, some file systems to 1 s; the kernel's clock ticks in milliseconds.
    private static readonly TimeSpan CoarsestClock = TimeSpan.FromSeconds(2);

    /// <summary>
    /// True when the file was last written long enough before <paramref name="now"/> that a
    /// later rewrite must show in its time. One rewritten within the same tick of a coarse clock
    /// keeps its time, and at the same size its fingerprint: a fingerprint taken that soon after
    /// a write cannot vouch for the content (git calls such files "racily clean").
    /// </summary>
    public bool IsSettledAt(DateTime now) => now.Ticks - LastWriteTicks > CoarsestClock.Ticks;

    /// <summary>The file at <paramref name="path"/> now; null when there is none (or it is a folder).</summary>
    public static FileFingerprint? Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileFingerprint(file.Length, file.LastWriteTimeUtc.Ticks) : null;
    }

    /// <summary>The file open as <paramref name="handle"/>: the very file being read, whatever is renamed over its path meanwhile.</summary>
    public static FileFingerprint Of(SafeFileHandle handle) =>
        new(RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle).Ticks);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Length} {LastWriteTicks}");
}
