using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Asks Linux to start writing a file's new data to disk while more is still being written
/// (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>, which does not wait), so that the
/// <c>fsync</c> that makes the finished file durable finds little left to write: durability
/// without a second pass over the data once it is complete. Elsewhere it does nothing.
/// </summary>
internal sealed class EarlyWriteback
{
    private const long Step = 16L << 20;
    private const uint SyncFileRangeWrite = 2;

    private static bool s_unavailable = !OperatingSystem.IsLinux();

    private readonly SafeFileHandle _file;
    private long _handedOver;

    public EarlyWriteback(SafeFileHandle file)
    {
        _file = file;
    }

    /// <summary>Says that the file now holds <paramref name="length"/> bytes, written from its start.</summary>
    public void Written(long length)
    {
        if (s_unavailable || length - _handedOver < Step)
        {
            return;
        }

        try
        {
            // A failure (a file system that does not support it) only loses the head start.
            _ = SyncFileRange(_file, _handedOver, length - _handedOver, SyncFileRangeWrite);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true;
        }

        _handedOver = length;
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(SafeFileHandle file, long offset, long count, uint flags);
}
