using System.Text;

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

    /// <summary>The lines of the UTF-8 file at <paramref name="path"/>, without their ends; a byte order mark is skipped.</summary>
    public static string[] ReadLines(string path)
    {
        ReadOnlySpan<byte> bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> byteOrderMark = [0xEF, 0xBB, 0xBF];
        if (bytes.StartsWith(byteOrderMark))
        {
            bytes = bytes[byteOrderMark.Length..];
        }

        var lines = new List<string>();
        using var reader = new StringReader(Utf8.GetString(bytes));
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines.ToArray();
    }
}
