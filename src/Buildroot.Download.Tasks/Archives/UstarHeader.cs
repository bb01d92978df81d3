using System.Runtime.CompilerServices;
using System.Text;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>
/// The 512-byte header blocks of a POSIX (pax) tar archive, byte for byte as GNU tar 1.35
/// writes them with <c>--format=posix --numeric-owner --owner=0 --group=0</c>: fixed offsets,
/// zero-padded octal numbers ending in NUL, empty user and group names, and device fields
/// left all NUL for anything that is not a device.
/// </summary>
internal static class UstarHeader
{
    public const int BlockSize = 512;

    /// <summary>The longest name or link target the ustar fields hold; anything longer needs a pax record.</summary>
    public const int NameFieldSize = 100;

    public const byte RegularFile = (byte)'0';
    public const byte HardLink = (byte)'1';
    public const byte SymbolicLink = (byte)'2';
    public const byte PaxExtendedHeader = (byte)'x';

    /// <summary>The largest size the 12-byte field holds (11 octal digits); a larger file needs a pax <c>size</c> record.</summary>
    public const long MaxOctalSize = (1L << 33) - 1;

    // Field offsets and widths of the ustar header (POSIX.1-1988, as in GNU tar's tar.h).
    private const int NameOffset = 0;
    private const int ModeOffset = 100;
    private const int UidOffset = 108;
    private const int GidOffset = 116;
    private const int SizeOffset = 124;
    private const int MtimeOffset = 136;
    private const int ChecksumOffset = 148;
    private const int TypeFlagOffset = 156;
    private const int LinkNameOffset = 157;
    private const int MagicOffset = 257;
    private const int VersionOffset = 263;

    /// <summary>
    /// Fills <paramref name="block"/> with one header. Names and link targets longer than
    /// 100 bytes are cut there (the caller has put the whole value in a pax record before it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per file: see ArchiveSourceTree.Next
    public static void Write(
        Span<byte> block,
        ReadOnlySpan<byte> name,
        int mode,
        long size,
        long mtime,
        byte typeFlag,
        ReadOnlySpan<byte> linkName)
    {
        block[..BlockSize].Clear();
        CopyCut(name, block.Slice(NameOffset, NameFieldSize));
        WriteOctal(block.Slice(ModeOffset, 8), mode);
        WriteOctal(block.Slice(UidOffset, 8), 0);
        WriteOctal(block.Slice(GidOffset, 8), 0);
        WriteOctal(block.Slice(SizeOffset, 12), size);
        WriteOctal(block.Slice(MtimeOffset, 12), mtime);
        block[TypeFlagOffset] = typeFlag;
        CopyCut(linkName, block.Slice(LinkNameOffset, NameFieldSize));
        "ustar\0"u8.CopyTo(block[MagicOffset..]);
        "00"u8.CopyTo(block[VersionOffset..]);

        // uname and gname stay empty (--numeric-owner); devmajor, devminor and prefix stay NUL.
        WriteChecksum(block);
    }

    /// <summary>
    /// One pax record, <c>"&lt;length&gt; &lt;key&gt;=&lt;value&gt;\n"</c>, where the length
    /// counts the whole record including its own digits.
    /// </summary>
    public static byte[] PaxRecord(string key, ReadOnlySpan<byte> value)
    {
        int withoutLength = 1 + Encoding.ASCII.GetByteCount(key) + 1 + value.Length + 1;
        int length = withoutLength + DecimalDigits(withoutLength);
        if (DecimalDigits(length) != DecimalDigits(withoutLength))
        {
            length++;
        }

        var record = new byte[length];
        int written = Encoding.ASCII.GetBytes($"{length} {key}=", record);
        value.CopyTo(record.AsSpan(written));
        record[^1] = (byte)'\n';
        return record;
    }

    private static void CopyCut(ReadOnlySpan<byte> value, Span<byte> field) =>
        value[..Math.Min(value.Length, field.Length)].CopyTo(field);

    /// <summary>Zero-padded octal filling all but the last byte of the field, which stays NUL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per file: see ArchiveSourceTree.Next
    private static void WriteOctal(Span<byte> field, long value)
    {
        int digits = field.Length - 1;
        if (value < 0 || (digits < 21 && value >> (3 * digits) != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Does not fit in {digits} octal digits.");
        }

        for (int i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[digits] = 0;
    }

    /// <summary>The sum of the header's bytes with the checksum field as spaces: six octal digits, NUL, space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per file: see ArchiveSourceTree.Next
    private static void WriteChecksum(Span<byte> block)
    {
        Span<byte> field = block.Slice(ChecksumOffset, 8);
        field.Fill((byte)' ');
        int sum = 0;
        foreach (byte b in block[..BlockSize])
        {
            sum += b;
        }

        WriteOctal(field[..7], sum);
    }

    private static int DecimalDigits(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
}
