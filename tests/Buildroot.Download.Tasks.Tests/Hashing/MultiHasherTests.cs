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
    [InlineData("sha384", "abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")]
    [InlineData("sha512", "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
    public void Digests_match_the_reference_values(string algorithm, string input, string expected)
    {
        using var hasher = new MultiHasher([algorithm]);

        hasher.Append(Encoding.ASCII.GetBytes(input));

        hasher.Finish()[algorithm].ShouldBe(expected);
    }

    [Theory]
    [InlineData("blake2b")]
    [InlineData("SHA256")]
    public void An_algorithm_check_hash_does_not_know_is_refused(string algorithm)
    {
        Should.Throw<ArgumentException>(() => new MultiHasher(["sha256", algorithm]).Dispose())
            .Message.ShouldContain($"'{algorithm}'");
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
