using System.Text;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>
/// Streams a tar archive in the exact bytes of Buildroot's
/// <c>tar --transform='s#^\./#&lt;base&gt;/#S' --format=posix --mode='go=u,go-w' …</c> with GNU tar 1.35:
/// every entry stored as <c>&lt;base&gt;/path</c> with one mtime, owner 0:0 and normalised modes,
/// pax <c>x</c> headers only where ustar cannot hold a value, two zero blocks at the end and
/// zeros up to a whole 10240-byte record. File contents are copied through, never held.
/// </summary>
internal sealed class ReproducibleTarWriter
{
    /// <summary>GNU tar's default blocking factor: 20 blocks of 512 bytes.</summary>
    public const int RecordSize = 20 * UstarHeader.BlockSize;

    private const int SymbolicLinkMode = 0b111_101_101;

    private static readonly byte[] ZeroBlock = new byte[UstarHeader.BlockSize];

    private readonly Stream _output;
    private readonly byte[] _basePrefix;
    private readonly long _mtime;
    private readonly byte[] _header = new byte[UstarHeader.BlockSize];
    private readonly byte[] _copyBuffer = new byte[128 * 1024];
    private long _bytesWritten;

    /// <param name="output">Where the archive goes (buffer it: headers are written 512 bytes at a time).</param>
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
    /// <param name="sourceDescription">Names the file in errors.</param>
    public async Task WriteFileAsync(
        byte[] relativePath,
        UnixFileMode mode,
        Stream content,
        long size,
        string sourceDescription,
        CancellationToken cancellationToken)
    {
        await WriteHeadersAsync(relativePath, NormalizeMode(mode), size, UstarHeader.RegularFile, linkTarget: [], cancellationToken).ConfigureAwait(false);

        long remaining = size;
        while (remaining > 0)
        {
            int read = await ReadSourceAsync(content, (int)Math.Min(_copyBuffer.Length, remaining), sourceDescription, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"'{sourceDescription}' shrank while it was being archived; nothing may change the folder meanwhile.");
            }

            await WriteAsync(_copyBuffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            remaining -= read;
        }

        if (await ReadSourceAsync(content, 1, sourceDescription, cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"'{sourceDescription}' grew while it was being archived; nothing may change the folder meanwhile.");
        }

        await PadToBlockAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a symbolic link: type 2, size 0, mode 0755, the target as it is (never rewritten).</summary>
    public Task WriteSymbolicLinkAsync(byte[] relativePath, byte[] target, CancellationToken cancellationToken) =>
        WriteHeadersAsync(relativePath, SymbolicLinkMode, size: 0, UstarHeader.SymbolicLink, target, cancellationToken);

    /// <summary>
    /// Writes another name of a file already written (GNU tar does so for every name of a file
    /// with several after the first): type 1, size 0, the first name (with the base) as target.
    /// </summary>
    public Task WriteHardLinkAsync(byte[] relativePath, UnixFileMode mode, byte[] firstRelativePath, CancellationToken cancellationToken) =>
        WriteHeadersAsync(relativePath, NormalizeMode(mode), size: 0, UstarHeader.HardLink, [.. _basePrefix, .. firstRelativePath], cancellationToken);

    /// <summary>Two zero blocks, then zeros up to a whole record, then flushes.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(ZeroBlock, cancellationToken).ConfigureAwait(false);
        await WriteAsync(ZeroBlock, cancellationToken).ConfigureAwait(false);
        while (_bytesWritten % RecordSize != 0)
        {
            await WriteAsync(ZeroBlock, cancellationToken).ConfigureAwait(false);
        }

        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteHeadersAsync(
        byte[] relativePath,
        int mode,
        long size,
        byte typeFlag,
        byte[] linkTarget,
        CancellationToken cancellationToken)
    {
        byte[] storedName = [.. _basePrefix, .. relativePath];

        // GNU tar's order: a long link target first (stored before the header is started),
        // then the name (long or not ASCII), then a size past 11 octal digits.
        var records = new List<byte[]>();
        if (linkTarget.Length > UstarHeader.NameFieldSize)
        {
            records.Add(UstarHeader.PaxRecord("linkpath", linkTarget));
        }

        if (storedName.Length > UstarHeader.NameFieldSize || !IsAscii(storedName))
        {
            records.Add(UstarHeader.PaxRecord("path", storedName));
        }

        if (size > UstarHeader.MaxOctalSize)
        {
            records.Add(UstarHeader.PaxRecord("size", Encoding.ASCII.GetBytes(size.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            size = 0;
        }

        if (records.Count > 0)
        {
            byte[] data = [.. records.SelectMany(r => r)];
            UstarHeader.Write(_header, PaxHeaderName(relativePath), 0b110_100_100, data.Length, _mtime, UstarHeader.PaxExtendedHeader, linkName: []);
            await WriteAsync(_header, cancellationToken).ConfigureAwait(false);
            await WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await PadToBlockAsync(cancellationToken).ConfigureAwait(false);
        }

        UstarHeader.Write(_header, storedName, mode, size, _mtime, typeFlag, linkTarget);
        await WriteAsync(_header, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>exthdr.name=%d/PaxHeaders/%f</c> applied to the path as listed (<c>./dir/file</c>,
    /// before the transform puts the base name in place of the dot): <c>./dir/PaxHeaders/file</c>.
    /// </summary>
    /// <summary>Reads the source file; its failures are told apart from those of the output (gzip's pipe).</summary>
    private async Task<int> ReadSourceAsync(Stream content, int count, string sourceDescription, CancellationToken cancellationToken)
    {
        try
        {
            return await content.ReadAsync(_copyBuffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot read '{sourceDescription}' to archive it: {e.Message}", e);
        }
    }

    private static byte[] PaxHeaderName(byte[] relativePath)
    {
        int slash = Array.LastIndexOf(relativePath, (byte)'/');
        byte[] folder = slash < 0 ? "."u8.ToArray() : [.. "./"u8, .. relativePath.AsSpan(0, slash)];
        return [.. folder, .. "/PaxHeaders/"u8, .. relativePath.AsSpan(slash + 1)];
    }

    private static bool IsAscii(byte[] value) => Array.TrueForAll(value, b => b < 0x80);

    private async Task PadToBlockAsync(CancellationToken cancellationToken)
    {
        int partial = (int)(_bytesWritten % UstarHeader.BlockSize);
        if (partial != 0)
        {
            await WriteAsync(ZeroBlock.AsMemory(0, UstarHeader.BlockSize - partial), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _bytesWritten += bytes.Length;
    }
}

