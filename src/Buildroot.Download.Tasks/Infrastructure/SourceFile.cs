using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// A file read with the fewest system calls (each file of an archived tree, each stamp of a
/// build with nothing to download, see <see cref="SmallTextFile"/>): on Linux <c>open</c> (never
/// following a symbolic link: a file swapped for one since it was listed is refused),
/// <c>pread</c> and <c>close</c> straight from the C library, one small stub each, where .NET's
/// file handles add a status call per file and a dozen methods the runtime recompiles while a
/// tree of thousands of files streams by. Elsewhere, .NET's handle.
/// </summary>
internal sealed class SourceFile : IDisposable
{
    private const int ReadOnlyNoFollowCloseOnExec = 0 | 0x20000 | 0x80000; // O_RDONLY | O_NOFOLLOW | O_CLOEXEC (Linux)

    private readonly int _descriptor = -1;
    private readonly SafeFileHandle? _handle;

    private SourceFile(int descriptor) => _descriptor = descriptor;

    private SourceFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>Opens <paramref name="path"/> for reading; an <see cref="IOException"/> says why not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per file: see ArchiveSourceTree.Next
    public static SourceFile Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new SourceFile(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        }

        int descriptor = OpenFile(path, ReadOnlyNoFollowCloseOnExec);
        return descriptor >= 0 ? new SourceFile(descriptor) : throw LastError();
    }

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>; 0 at the end of the file.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadAt(Span<byte> buffer, long offset)
    {
        if (_handle is not null)
        {
            return RandomAccess.Read(_handle, buffer, offset);
        }

        while (true)
        {
            nint read = ReadAtOffset(_descriptor, ref MemoryMarshal.GetReference(buffer), buffer.Length, offset);
            if (read >= 0)
            {
                return (int)read;
            }

            if (Marshal.GetLastPInvokeError() != 4) // EINTR: a signal came; read again
            {
                throw LastError();
            }
        }
    }

    public void Dispose()
    {
        if (_handle is not null)
        {
            _handle.Dispose();
        }
        else
        {
            _ = Close(_descriptor);
        }
    }

    private static IOException LastError()
    {
        const int NoSuchFile = 2; // ENOENT: the one callers tell apart, as .NET's own reads let them
        int errno = Marshal.GetLastPInvokeError();
        string message = $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return errno == NoSuchFile ? new FileNotFoundException(message) : new IOException(message);
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code for these one-line calls.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFile([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static extern nint ReadAtOffset(int descriptor, ref byte buffer, nint count, long offset);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
