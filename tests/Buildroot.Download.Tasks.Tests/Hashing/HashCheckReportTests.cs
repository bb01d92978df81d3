using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Hashing;

public sealed class HashCheckReportTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("hashreport");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_mismatch_names_the_hash_file_the_algorithm_both_digests_and_the_likely_causes()
    {
        string file = _folder.WriteFile("foo-1.0.tar.gz", "abc");
        string hashFile = _folder.WriteFile("foo.hash", $"sha256 {new string('0', 64)} foo-1.0.tar.gz\n");
        HashExpectations expected = HashExpectations.Load("foo-1.0.tar.gz", [hashFile], []);
        HashCheckResult result = await HashChecker.CheckAsync(file, expected, null, CancellationToken.None);

        string text = HashCheckReport.Describe("foo-1.0.tar.gz", result, expected);

        text.ShouldContain($"foo-1.0.tar.gz has wrong sha256 hash (from {hashFile}:1)");
        text.ShouldContain($"expected {new string('0', 64)}");
        text.ShouldContain("got ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // FIPS 180-2 value for "abc"
        text.ShouldEndWith("Incomplete download, or man-in-the-middle (MITM) attack.");
        text.ShouldNotContain('\n', "one line: the console logger and CI annotations make each line a message of its own");
    }

    [Fact]
    public async Task Not_listed_names_the_hash_files_read_and_the_line_to_add()
    {
        string file = _folder.WriteFile("foo-1.0.tar.gz", "abc");
        string hashFile = _folder.WriteFile("foo.hash", $"sha256 {new string('0', 64)} foo-0.9.tar.gz\n");
        HashExpectations expected = HashExpectations.Load("foo-1.0.tar.gz", [hashFile], []);
        HashCheckResult result = await HashChecker.CheckAsync(file, expected, null, CancellationToken.None);

        string text = HashCheckReport.Describe("foo-1.0.tar.gz", result, expected);

        text.ShouldContain($"No hash found for foo-1.0.tar.gz in {hashFile}");
        text.ShouldContain("'sha256 <hex> foo-1.0.tar.gz'");
    }

    [Fact]
    public async Task No_hash_file_says_so_and_how_to_add_one()
    {
        string file = _folder.WriteFile("foo-1.0.tar.gz", "abc");
        HashExpectations expected = HashExpectations.Load("foo-1.0.tar.gz", [], []);
        HashCheckResult result = await HashChecker.CheckAsync(file, expected, null, CancellationToken.None);

        string text = HashCheckReport.Describe("foo-1.0.tar.gz", result, expected);

        text.ShouldStartWith("No hash file for foo-1.0.tar.gz: its content is not checked.");
        text.ShouldContain("'sha256 <hex> foo-1.0.tar.gz'");
    }

    [Fact]
    public async Task An_unknown_algorithm_is_named_with_its_line()
    {
        string file = _folder.WriteFile("foo-1.0.tar.gz", "abc");
        string hashFile = _folder.WriteFile("foo.hash", "blake3 abcdef foo-1.0.tar.gz\n");
        HashExpectations expected = HashExpectations.Load("foo-1.0.tar.gz", [hashFile], []);
        HashCheckResult result = await HashChecker.CheckAsync(file, expected, null, CancellationToken.None);

        HashCheckReport.Describe("foo-1.0.tar.gz", result, expected)
            .ShouldStartWith($"Unknown hash 'blake3' for 'foo-1.0.tar.gz' ({hashFile}:1)");
    }
}
