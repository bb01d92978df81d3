using System.IO.Compression;
using System.Text;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// The text a binary log holds. A <c>.binlog</c> is a gzip stream of records whose strings
/// (properties, items, messages, environment) are stored as UTF-8: searching the unpacked bytes
/// tells whether a secret was written anywhere in it.
/// </summary>
internal static class BinaryLog
{
    public static string Text(BuildResult result)
    {
        string path = result.BinlogPath ?? throw new InvalidOperationException("The build wrote no binary log.");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
