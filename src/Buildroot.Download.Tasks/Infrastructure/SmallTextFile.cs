using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Reads the small text files a build with nothing to download reads by the thousand (hash
/// files, stamps): the bytes in one read into one array of their size, then split into lines as
/// <see cref="File.ReadAllLines(string)"/> would. <c>File.ReadAllLines</c> allocates a stream
/// buffer and a reader's byte and char buffers (some 16 KiB) per file, which for 2,000 files of
/// a hundred bytes is most of the garbage, and the collections, of a no-op build.
/// </summary>
internal static class SmallTextFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// The lines of the UTF-8 file at <paramref name="path"/>, without their ends; a byte order
    /// mark is skipped. Read with <see cref="SourceFile"/> (on Linux <c>open</c>, <c>pread</c>,
    /// <c>close</c>): .NET's own reads add a status call and a shared flock taken and released,
    /// seven calls a stamp where four do, and a no-op build reads a stamp per file.
    /// </summary>
    public static string[] ReadLines(string path)
    {
        using SourceFile file = SourceFile.Open(path);
        Span<byte> bytes = stackalloc byte[1024]; // a stamp is some 200 bytes
        int read = 0;
        while (file.ReadAt(bytes[read..], read) is > 0 and int more)
        {
            read += more;
            if (read == bytes.Length)
            {
                byte[] larger = new byte[bytes.Length * 2];
                bytes.CopyTo(larger);
                bytes = larger;
            }
        }

        return Lines(bytes[..read]);
    }

    /// <summary>
    /// <see cref="ReadLines(string)"/>, and the <paramref name="fingerprint"/> of the file the lines
    /// were read from, taken from the open file before its bytes: a change during the read leaves
    /// a fingerprint older than the file, never one that claims lines the file does not hold.
    /// </summary>
    public static string[] ReadLines(string path, out FileFingerprint fingerprint)
    {
        using SafeFileHandle handle = File.OpenHandle(path);
        fingerprint = FileFingerprint.Of(handle);

        // Read to the end, as File.ReadAllBytes does: a file may hold more than its size says
        // (one under /proc says 0), and a read that fails must fail here, not pass as empty.
        byte[] bytes = new byte[fingerprint.Length + 1];
        int read = 0;
        while (RandomAccess.Read(handle, bytes.AsSpan(read), read) is > 0 and int more)
        {
            read += more;
            if (read == bytes.Length)
            {
                Array.Resize(ref bytes, bytes.Length * 2);
            }
        }

        return Lines(bytes.AsSpan(0, read));
    }

    private static string[] Lines(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> byteOrderMark = [0xEF, 0xBB, 0xBF];
        if (bytes.StartsWith(byteOrderMark))
        {
            bytes = bytes[byteOrderMark.Length..];
        }

        // Split on the bytes, as StringReader.ReadLine splits the text (\n, \r or \r\n ends a line;
        // neither byte occurs inside a UTF-8 sequence), decoding each line on its own: no copy of
        // the whole text is made only to be cut up.
        var lines = new List<string>(8);
        while (!bytes.IsEmpty)
        {
            int end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                lines.Add(Utf8.GetString(bytes));
                break;
            }

            lines.Add(Utf8.GetString(bytes[..end]));
            int next = end + 1;
            if (bytes[end] == '\r' && next < bytes.Length && bytes[next] == '\n')
            {
                next++;
            }

            bytes = bytes[next..];
        }

        return lines.ToArray();
    }
}
