using System.Text;
using Buildroot.Download.Tasks.Hashing;

namespace Buildroot.Download.Tasks.Tests.Hashing;

public sealed class MultiHasherTests
{
    // Reference digests from FIPS 180-4's examples and coreutils (md5sum … sha512sum) on the same input.
    [Theory]
    [InlineData("sha224", "", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("sha224", "abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    [InlineData("sha224", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")]
    [InlineData("md5", "abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d")]
    [InlineData("sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Digests_match_the_reference_values(string algorithm, string input, string expected)
    {
        using var hasher = new MultiHasher([algorithm]);

        hasher.Append(Encoding.ASCII.GetBytes(input));

        hasher.Finish()[algorithm].ShouldBe(expected);
    }

    [Fact]
    public void Data_fed_in_pieces_hashes_like_data_fed_at_once()
    {
        byte[] data = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        using var whole = new MultiHasher(["sha224", "sha256", "sha512"]);
        using var pieces = new MultiHasher(["sha224", "sha256", "sha512"]);

        whole.Append(data);
        int[] cuts = [0, 1, 64, 128, 193, 1193, data.Length]; // across and on 64-byte block edges
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            pieces.Append(data.AsSpan(cuts[i], cuts[i + 1] - cuts[i]));
        }

        pieces.Finish().ShouldBe(whole.Finish());
    }
}
