using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>What <c>lstat</c> says of a path that .NET does not: its type and its inode.</summary>
internal enum UnixFileType
{
    Regular,
    SymbolicLink,
    Directory,
    Other, // FIFO, socket, character or block device
}

/// <param name="Mode">The permission bits (with set-user-ID, set-group-ID and sticky).</param>
/// <param name="Size">The length in bytes, for a regular file.</param>
/// <param name="HardLinkKey">The device and inode of a file with more than one name; null for a file with one.</param>
internal readonly record struct UnixFileStatus(UnixFileType Type, UnixFileMode Mode, long Size, (ulong Device, ulong Inode)? HardLinkKey)
{
    /// <summary>Windows has no mode bits: files are archived as 0644, as git would check them out there.</summary>
    private const UnixFileMode WindowsFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const int AtFdcwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxMode = 0x2, StatxNlink = 0x4, StatxIno = 0x100, StatxSize = 0x200;
    private const int StatxBufferSize = 256;

    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// The status of <paramref name="path"/> itself (a link is not followed), through Linux's
    /// <c>statx</c>, whose layout is the same on every architecture; null elsewhere, where the
    /// caller falls back on what .NET tells (no hard links, no special files).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per file: see ArchiveSourceTree.Next
    public static UnixFileStatus? TryGet(string path)
    {
        if (s_unavailable)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[StatxBufferSize];
        if (!TryStatx(path, AtSymlinkNoFollow, buffer))
        {
            return null;
        }

        // struct statx, in the machine's byte order: stx_nlink at 16 (u32), stx_mode at 28 (u16), stx_ino at 32 (u64),
        // stx_size at 40 (u64), stx_dev_major at 136 and stx_dev_minor at 140 (u32).
        uint linkCount = MemoryMarshal.Read<uint>(buffer[16..]);
        int mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        ulong inode = MemoryMarshal.Read<ulong>(buffer[32..]);
        long size = (long)MemoryMarshal.Read<ulong>(buffer[40..]);
        ulong device = ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]);
        UnixFileType type = (mode & 0xF000) switch
        {
            0x8000 => UnixFileType.Regular,
            0xA000 => UnixFileType.SymbolicLink,
            0x4000 => UnixFileType.Directory,
            _ => UnixFileType.Other,
        };
        return new UnixFileStatus(type, (UnixFileMode)(mode & 0xFFF), size, type == UnixFileType.Regular && linkCount > 1 ? (device, inode) : null);
    }

    /// <summary>What .NET tells where there is no statx: no hard links, no special files, 0644 on Windows.</summary>
    public static UnixFileStatus Fallback(string path, bool isSymbolicLink)
    {
        var info = new FileInfo(path);
        UnixFileMode mode = OperatingSystem.IsWindows() ? WindowsFileMode : info.UnixFileMode;
        return new UnixFileStatus(isSymbolicLink ? UnixFileType.SymbolicLink : UnixFileType.Regular, mode, isSymbolicLink ? 0 : info.Length, null);
    }

    /// <summary>
    /// The device (as the kernel numbers it: major and minor) and inode of the file
    /// <paramref name="path"/> names, following links: how <c>/proc/locks</c> names a locked file.
    /// Null where <c>statx</c> is not available or the file cannot be read.
    /// </summary>
    public static (uint Major, uint Minor, ulong Inode)? TryGetIdentity(string path)
    {
        if (s_unavailable)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[StatxBufferSize];
        try
        {
            if (!TryStatx(path, flags: 0, buffer))
            {
                return null;
            }
        }
        catch (IOException)
        {
            return null;
        }

        return (MemoryMarshal.Read<uint>(buffer[136..]), MemoryMarshal.Read<uint>(buffer[140..]), MemoryMarshal.Read<ulong>(buffer[32..]));
    }

    /// <summary>False when this C library has no statx (the caller falls back); an error of the call itself throws.</summary>
    private static bool TryStatx(string path, int flags, Span<byte> buffer)
    {
        try
        {
            if (Statx(AtFdcwd, path, flags, StatxType | StatxMode | StatxNlink | StatxIno | StatxSize, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"Cannot read the status of '{path}' (errno {errno}).");
            }

            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true; // an old C library: .NET's view will do
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref byte buffer);
}
