using System.Security.Cryptography;
using System.Text;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>Files for servers to serve, and their hash lines computed here, independently of the package.</summary>
internal static class Payloads
{
    /// <summary>Some kilobytes unique to <paramref name="seed"/> (what a server serves is opaque to an http download).</summary>
    public static byte[] Bytes(string seed, int kilobytes = 8)
    {
        var content = new byte[kilobytes * 1024];
        byte[] block = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        for (int i = 0; i < content.Length; i += block.Length)
        {
            block.AsSpan(0, Math.Min(block.Length, content.Length - i)).CopyTo(content.AsSpan(i));
            block = SHA256.HashData(block);
        }

        return content;
    }

    public static string Sha256(byte[] content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    /// <summary>A Buildroot hash-file line: <c>sha256  &lt;hex&gt;  &lt;file&gt;</c>.</summary>
    public static string HashLine(string file, byte[] content) => $"sha256  {Sha256(content)}  {file}\n";
}
