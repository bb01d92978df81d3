using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Hashing;

public sealed class HashExpectationsTests : IDisposable
{
    private const string Sha256OfAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string Md5OfAbc = "900150983cd24fb0d6963f7d28e17f72";

    private readonly TemporaryFolder _folder = new("hashexp");

    public void Dispose() => _folder.Dispose();

    [ConformanceFact]
    public void Lines_with_leading_blanks_are_read_like_any_other()
    {
        string hashFile = Path.Combine(RepositoryPaths.GitConformance, "hashes", "git-wrong-content.hash");

        HashExpectations expected = HashExpectations.Load("file", [hashFile], []);

        expected.HashFileFound.ShouldBeTrue();
        HashEntry entry = expected.Entries.ShouldHaveSingleItem();
        entry.ShouldBe(new HashEntry("sha256", new string('0', 64), "file", $"{hashFile}:2") { Location = new SourceLocation(hashFile, 2) });
    }

    [Fact]
    public void Comments_empty_lines_and_runs_of_blanks_are_handled_as_check_hash_does()
    {
        string hashFile = _folder.WriteFile("foo.hash", string.Join(
            "\n",
            "# Locally computed",
            "",
            "   ",
            "  # an indented comment naming foo-1.0.tar.gz",
            $"sha256\t\t{Sha256OfAbc}   foo-1.0.tar.gz",
            $"md5 {Md5OfAbc} foo-1.0.tar.gz  ",
            $"sha256  {new string('1', 64)}  COPYING",
            ""));

        HashExpectations expected = HashExpectations.Load("foo-1.0.tar.gz", [hashFile], []);

        expected.Entries.ShouldBe(
        [
            new HashEntry("sha256", Sha256OfAbc, "foo-1.0.tar.gz", $"{hashFile}:5") { Location = new SourceLocation(hashFile, 5) },
            new HashEntry("md5", Md5OfAbc, "foo-1.0.tar.gz", $"{hashFile}:6") { Location = new SourceLocation(hashFile, 6) },
        ]);
    }

    [Fact]
    public void Entries_come_from_every_hash_file_named()
    {
        string first = _folder.WriteFile("a/foo.hash", $"sha256 {Sha256OfAbc} foo.tar.gz\n");
        string second = _folder.WriteFile("c/foo.hash", $"md5 {Md5OfAbc} foo.tar.gz\n");

        HashExpectations expected = HashExpectations.Load("foo.tar.gz", [first, second], []);

        expected.HashFilesRead.ShouldBe([first, second]);
        expected.Entries.Select(entry => entry.Origin).ShouldBe([$"{first}:1", $"{second}:1"]);
    }

    [Fact]
    public void A_hash_file_named_but_missing_is_an_error_not_an_unchecked_download()
    {
        string missing = _folder.Combine("b", "foo.hash");

        var error = Should.Throw<BrdlException>(() => HashExpectations.Load("foo.tar.gz", [missing], []));

        error.Code.ShouldBe(MessageCodes.HashFileUnreadable);
        error.Scope.ShouldBe(FailureScope.Package);
        error.Message.ShouldContain($"{missing}: it does not exist");
    }

    [Fact]
    public void A_folder_named_as_hash_file_is_an_error_too()
    {
        var error = Should.Throw<BrdlException>(() => HashExpectations.Load("foo.tar.gz", [_folder.Path], []));

        error.Code.ShouldBe(MessageCodes.HashFileUnreadable);
        error.Message.ShouldContain("it is a folder");
    }

    [Fact]
    public void No_hash_file_and_no_inline_hash_means_no_hash_file_found()
    {
        HashExpectations expected = HashExpectations.Load("foo.tar.gz", [], []);

        expected.HashFileFound.ShouldBeFalse();
        expected.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void Inline_hashes_apply_to_the_file_and_count_as_a_hash_file()
    {
        HashExpectations expected = HashExpectations.Load("foo.tar.gz", [], TestHashes.Inline("foo.tar.gz", $"SHA256:{Sha256OfAbc.ToUpperInvariant()}"));

        expected.HashFileFound.ShouldBeTrue();
        expected.Entries.ShouldBe([new HashEntry("sha256", Sha256OfAbc, "foo.tar.gz", "Hash metadata")]);
    }

    [Fact]
    public void An_unknown_algorithm_is_kept_for_the_checker_rather_than_refused_as_syntax()
    {
        string hashFile = _folder.WriteFile("foo.hash", "sha3 0123 foo.tar.gz\n");

        HashExpectations expected = HashExpectations.Load("foo.tar.gz", [hashFile], []);

        expected.Entries.ShouldHaveSingleItem().Algorithm.ShouldBe("sha3");
    }

    [Theory]
    [InlineData("sha256", "too few fields")]
    [InlineData("sha256 " + Sha256OfAbc, "no file name")]
    [InlineData("sha256 zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad foo.tar.gz", "not hex")]
    [InlineData("sha256 " + Md5OfAbc + " foo.tar.gz", "an md5 digest under sha256")]
    [InlineData("md5 " + Md5OfAbc + "0 other-file", "a bad line for another file")]
    public void A_malformed_line_is_refused_naming_the_file_and_line(string badLine, string why)
    {
        string hashFile = _folder.WriteFile("foo.hash", $"# header\nsha256 {Sha256OfAbc} foo.tar.gz\n{badLine}\n");

        var error = Should.Throw<BrdlException>(() => HashExpectations.Load("foo.tar.gz", [hashFile], []), why);

        error.Code.ShouldBe(MessageCodes.MalformedHashFile);
        error.Message.ShouldContain($"{hashFile}:3");
    }

    [Fact]
    public void A_hash_file_that_exists_but_cannot_be_read_is_reported()
    {
        Assert.True(OperatingSystem.IsLinux(), "Uses /proc/self/mem: it exists, and reading it from offset 0 fails even for root.");

        var error = Should.Throw<BrdlException>(() => HashExpectations.Load("foo.tar.gz", ["/proc/self/mem"], []));

        error.Code.ShouldBe(MessageCodes.HashFileUnreadable);
        error.Message.ShouldContain("/proc/self/mem");
    }
}
