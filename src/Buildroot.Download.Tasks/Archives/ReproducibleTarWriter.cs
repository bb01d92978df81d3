using System.Runtime.CompilerServices;
using System.Text;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>
/// Streams a tar archive in the exact bytes of Buildroot's
/// <c>tar --transform='s#^\./#&lt;base&gt;/#S' --format=posix --mode='go=u,go-w' …</c> with GNU tar 1.35:
/// every entry stored as <c>&lt;base&gt;/path</c> with one mtime, owner 0:0 and normalised modes,
/// pax <c>x</c> headers only where ustar cannot hold a value, two zero blocks at the end and
/// zeros up to a whole 10240-byte record. File contents are copied through, never held.
/// <para>
/// Headers are encoded, and file contents read, straight into one output buffer that is
/// written out whole: a tree of many small files costs a few system calls per file and no
/// allocation per block. The writer is synchronous: it runs on a thread of its own, feeding
/// gzip through a pipe while gzip compresses on the other core.
/// </para>
/// </summary>
internal sealed class ReproducibleTarWriter
{
    /// <summary>GNU tar's default blocking factor: 20 blocks of 512 bytes.</summary>
    public const int RecordSize = 20 * UstarHeader.BlockSize;

    private const int SymbolicLinkMode = 0b111_101_101;

    /// <summary>How much is gathered before each write to the output: a few pipe-fulls.</summary>
    private const int OutputBufferSize = 1 << 20;

    private readonly Stream _output;
    private readonly byte[] _basePrefix;
    private readonly long _mtime;
    private readonly byte[] _buffer = new byte[OutputBufferSize];
    private int _used;
    private long _bytesWritten;

    /// <param name="output">Where the archive goes; it is written in large pieces, so needs no buffering.</param>
    /// <param name="baseName">The top folder replacing the leading <c>.</c> of every path.</param>
    /// <param name="mtime">Seconds since the epoch, for every header.</param>
    public ReproducibleTarWriter(Stream output, string baseName, long mtime)
    {
        _output = output;
        _basePrefix = Encoding.UTF8.GetBytes(baseName + "/");
        _mtime = mtime;
    }

    /// <summary>
    /// GNU tar's <c>--mode='go=u,go-w'</c>: group and other get the owner's bits without write;
    /// set-group-ID and sticky go with them, set-user-ID stays (0600 → 0644, 0700 → 0755).
    /// </summary>
    public static int NormalizeMode(UnixFileMode mode)
    {
        int bits = (int)mode;
        int owner = (bits >> 6) & 0b111;
        int others = owner & 0b101;
        return (bits & (int)UnixFileMode.SetUser) | (owner << 6) | (others << 3) | others;
    }

    /// <summary>Writes a regular file: its header, exactly <paramref name="size"/> bytes of <paramref name="content"/>, zeros to the block end.</summary>
    /// <param name="relativePath">The path under the archived folder, UTF-8, without <c>./</c>.</param>
    /// <param name="content">The open file, read from its start.</param>
    /// <param name="sourceDescription">Names the file in errors.</param>
    public void WriteFile(byte[] relativePath, UnixFileMode mode, SourceFile content, long size, string sourceDescription) =>
        WriteFile(relativePath, mode, size, sourceDescription, content.ReadAt);

    /// <summary>The same from a stream read from where it stands.</summary>
    public void WriteFile(byte[] relativePath, UnixFileMode mode, Stream content, long size, string sourceDescription) =>
        WriteFile(relativePath, mode, size, sourceDescription, (buffer, _) => content.Read(buffer));

    /// <summary>Writes a symbolic link: type 2, size 0, mode 0755, the target as it is (never rewritten).</summary>
    public void WriteSymbolicLink(byte[] relativePath, byte[] target) =>
        WriteHeaders(relativePath, SymbolicLinkMode, size: 0, UstarHeader.SymbolicLink, target);

    /// <summary>
    /// Writes another name of a file already written (GNU tar does so for every name of a file
    /// with several after the first): type 1, size 0, the first name (with the base) as target.
    /// </summary>
    public void WriteHardLink(byte[] relativePath, UnixFileMode mode, byte[] firstRelativePath) =>
        WriteHeaders(relativePath, NormalizeMode(mode), size: 0, UstarHeader.HardLink, [.. _basePrefix, .. firstRelativePath]);

    /// <summary>Two zero blocks, then zeros up to a whole record, then writes out what is left.</summary>
    public void Finish()
    {
        WriteZeros(2 * UstarHeader.BlockSize);
        WriteZeros((int)((RecordSize - (_bytesWritten % RecordSize)) % RecordSize));
        Flush();
        _output.Flush();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see ArchiveSourceTree.Next
    private void WriteFile(byte[] relativePath, UnixFileMode mode, long size, string sourceDescription, ReadAt read)
    {
        WriteHeaders(relativePath, NormalizeMode(mode), size, UstarHeader.RegularFile, linkTarget: []);

        long copied = 0;
        while (copied < size)
        {
            if (_used == _buffer.Length)
            {
                Flush();
            }

            int wanted = (int)Math.Min(_buffer.Length - _used, size - copied);
            int got = ReadSource(read, _buffer.AsSpan(_used, wanted), copied, sourceDescription);
            if (got == 0)
            {
                throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"'{sourceDescription}' shrank while it was being archived; nothing may change the folder meanwhile.");
            }

            _used += got;
            _bytesWritten += got;
            copied += got;
        }

        Span<byte> probe = stackalloc byte[1];
        if (ReadSource(read, probe, size, sourceDescription) != 0)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"'{sourceDescription}' grew while it was being archived; nothing may change the folder meanwhile.");
        }

        PadToBlock();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see ArchiveSourceTree.Next
    private void WriteHeaders(byte[] relativePath, int mode, long size, byte typeFlag, byte[] linkTarget)
    {
        byte[] storedName = [.. _basePrefix, .. relativePath];

        // GNU tar's order: a long link target first (stored before the header is started),
        // then the name (long or not ASCII), then a size past 11 octal digits.
        bool longLink = linkTarget.Length > UstarHeader.NameFieldSize;
        bool longName = storedName.Length > UstarHeader.NameFieldSize || !IsAscii(storedName);
        bool largeSize = size > UstarHeader.MaxOctalSize;
        if (longLink || longName || largeSize)
        {
            var records = new List<byte[]>();
            if (longLink)
            {
                records.Add(UstarHeader.PaxRecord("linkpath", linkTarget));
            }

            if (longName)
            {
                records.Add(UstarHeader.PaxRecord("path", storedName));
            }

            if (largeSize)
            {
                records.Add(UstarHeader.PaxRecord("size", Encoding.ASCII.GetBytes(size.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                size = 0;
            }

            byte[] data = [.. records.SelectMany(r => r)];
            UstarHeader.Write(ReserveBlock(), PaxHeaderName(relativePath), 0b110_100_100, data.Length, _mtime, UstarHeader.PaxExtendedHeader, linkName: []);
            WriteBytes(data);
            PadToBlock();
        }

        UstarHeader.Write(ReserveBlock(), storedName, mode, size, _mtime, typeFlag, linkTarget);
    }

    /// <summary>Reads the source file; its failures are told apart from those of the output (gzip's pipe).</summary>
    private static int ReadSource(ReadAt read, Span<byte> buffer, long offset, string sourceDescription)
    {
        try
        {
            return read(buffer, offset);
        }
        catch (IOException e)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot read '{sourceDescription}' to archive it: {e.Message}", e);
        }
    }

    /// <summary>
    /// <c>exthdr.name=%d/PaxHeaders/%f</c> applied to the path as listed (<c>./dir/file</c>,
    /// before the transform puts the base name in place of the dot): <c>./dir/PaxHeaders/file</c>.
    /// </summary>
    private static byte[] PaxHeaderName(byte[] relativePath)
    {
        int slash = Array.LastIndexOf(relativePath, (byte)'/');
        byte[] folder = slash < 0 ? "."u8.ToArray() : [.. "./"u8, .. relativePath.AsSpan(0, slash)];
        return [.. folder, .. "/PaxHeaders/"u8, .. relativePath.AsSpan(slash + 1)];
    }

    private static bool IsAscii(byte[] value) => Array.TrueForAll(value, b => b < 0x80);

    /// <summary>The next 512 bytes of the output, to encode a header into (headers always start on a block edge).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see ArchiveSourceTree.Next
    private Span<byte> ReserveBlock()
    {
        if (_buffer.Length - _used < UstarHeader.BlockSize)
        {
            Flush();
        }

        Span<byte> block = _buffer.AsSpan(_used, UstarHeader.BlockSize);
        _used += UstarHeader.BlockSize;
        _bytesWritten += UstarHeader.BlockSize;
        return block;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_used == _buffer.Length)
            {
                Flush();
            }

            int take = Math.Min(bytes.Length, _buffer.Length - _used);
            bytes[..take].CopyTo(_buffer.AsSpan(_used));
            _used += take;
            _bytesWritten += take;
            bytes = bytes[take..];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see ArchiveSourceTree.Next
    private void WriteZeros(int count)
    {
        while (count > 0)
        {
            if (_used == _buffer.Length)
            {
                Flush();
            }

            int take = Math.Min(count, _buffer.Length - _used);
            _buffer.AsSpan(_used, take).Clear();
            _used += take;
            _bytesWritten += take;
            count -= take;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see ArchiveSourceTree.Next
    private void PadToBlock()
    {
        int partial = (int)(_bytesWritten % UstarHeader.BlockSize);
        if (partial != 0)
        {
            WriteZeros(UstarHeader.BlockSize - partial);
        }
    }

    private void Flush()
    {
        if (_used > 0)
        {
            _output.Write(_buffer, 0, _used);
            _used = 0;
        }
    }

    /// <summary>Reads into the span from the given offset of the source; 0 at its end.</summary>
    private delegate int ReadAt(Span<byte> buffer, long offset);
}
