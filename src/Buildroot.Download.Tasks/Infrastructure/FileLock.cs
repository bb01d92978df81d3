using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// An exclusive lock on an open file, for every lock of the package (package locks, the cargo
/// home's and the Go module cache's, a build's scratch folder). On Unix it is <c>flock(2)</c>,
/// taken here straight from the C library: .NET takes one too for <see cref="FileShare.None"/>,
/// but not when its file locking is turned off (<c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1</c>, or
/// <c>System.IO.DisableFileLocking</c> in a runtimeconfig), and it ignores a file system that
/// refuses locks; either way two builds would go on at once, each believing it held the lock.
/// The same <c>flock</c> as Buildroot's <c>flock(1)</c>, so each waits for the other. On Windows
/// the share mode of <see cref="FileShare.None"/> is the lock.
/// </summary>
internal static class FileLock
{
    private const int LockExclusive = 2; // LOCK_EX
    private const int DoNotWait = 4; // LOCK_NB

    /// <summary>
    /// Opens <paramref name="path"/> and takes its exclusive lock without waiting; null when another
    /// process (or another open of this one) holds it. Any other failure to open is the
    /// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> of the open; a file
    /// system that cannot lock is <see cref="MessageCodes.LockNotSupported"/>.
    /// </summary>
    public static FileStream? TryOpenExclusive(string path, FileMode mode, FileAccess access)
    {
        FileStream stream;
        try
        {
            // Unbuffered: the one write to a lock file (a holder's record) is written whole.
            stream = new FileStream(path, mode, access, FileShare.None, bufferSize: 1);
        }
        catch (IOException e) when (IsHeldByAnother(e))
        {
            return null; // .NET's own flock (or Windows' share mode) was refused
        }

        if (OperatingSystem.IsWindows())
        {
            return stream;
        }

        int errno = TryLock(stream.SafeFileHandle);
        if (errno == 0)
        {
            return stream;
        }

        stream.Dispose();
        if (errno == Errno.WouldBlock)
        {
            return null;
        }

        throw Refused(path, errno);
    }

    /// <summary>0 once the lock is ours, else flock's errno.</summary>
    private static int TryLock(SafeFileHandle file)
    {
        while (true)
        {
            if (Flock(file, LockExclusive | DoNotWait) == 0)
            {
                return 0;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.Interrupted)
            {
                return errno;
            }
        }
    }

    /// <summary>
    /// .NET's report of flock's EWOULDBLOCK: an <see cref="IOException"/> carrying the errno
    /// (Windows: a sharing or lock violation). Every other error is not contention.
    /// </summary>
    private static bool IsHeldByAnother(IOException e) =>
        e.GetType() == typeof(IOException) &&
        (OperatingSystem.IsWindows()
            ? e.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021)
            : e.HResult == Errno.WouldBlock);

    private static Exception Refused(string path, int errno)
    {
        string cause = $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return Errno.MeansLocksUnsupported(errno)
            ? new BrdlException(
                FailureScope.Build,
                MessageCodes.LockNotSupported,
                $"Cannot lock {path}: its file system does not support locks (flock: {cause}), so builds sharing it could not keep out of each other's way. "
                + "Put the download folder (BuildrootDlDir, or BR2_DL_DIR), and BuildrootScratchDir, on a local file system, or turn locking on where it is (NFS: run its lock service, rpc.statd, or mount it with local_lock=flock).")
            : new IOException(cause);
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code for a one-line call.
    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(SafeFileHandle file, int operation);

    /// <summary>The errno values flock answers with, on Linux and on the BSDs and macOS.</summary>
    private static class Errno
    {
        public const int Interrupted = 4; // EINTR

        public static readonly int WouldBlock = OperatingSystem.IsLinux() ? 11 : 35; // EWOULDBLOCK

        /// <summary>ENOLCK (a network file system without its lock service) or EOPNOTSUPP/ENOTSUP.</summary>
        public static bool MeansLocksUnsupported(int errno) =>
            OperatingSystem.IsLinux() ? errno is 37 or 95 : errno is 77 or 45 or 102;
    }
}
