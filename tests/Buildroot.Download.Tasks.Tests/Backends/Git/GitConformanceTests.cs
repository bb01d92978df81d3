using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>
/// Buildroot's own git download tests (../shared/conformance/buildroot-git): every case must give
/// the very archive Buildroot gives, byte for byte, or fail the way Buildroot fails.
/// </summary>
public sealed class GitConformanceTests : IClassFixture<GitConformanceTests.RemoteCopy>
{
    private readonly RemoteCopy _remote;

    public GitConformanceTests(RemoteCopy remote)
    {
        _remote = remote;
    }

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (GitConformanceCase c in GitConformanceCase.ReadAll())
        {
            cases.Add(c.Name);
        }

        if (cases.Count == 0)
        {
            // Keeps discovery working without the data; ConformanceTheory skips the test then.
            cases.Add("absent");
        }

        return cases;
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public async Task Archive_from_git_is_the_one_Buildroot_makes(string caseName)
    {
        GitConformanceCase c = GitConformanceCase.ReadAll().Single(x => x.Name == caseName);
        using var harness = new GitDownloadHarness("conf");
        var request = harness.Request(_remote.UrlOf(c.Remote), c.Version, baseName: $"{c.Name}-{c.Version}") with
        {
            FileName = c.File,
            GitSubmodules = c.Submodules,
        };

        if (c.Expect == "fail:no-such-commit")
        {
            var error = await Should.ThrowAsync<BrdlException>(() => harness.DownloadAsync(request));
            error.Code.ShouldBe(MessageCodes.NoSuchChangeset);
            error.Message.ShouldContain(c.Version);
            Directory.Exists(Path.Combine(harness.CacheFolder, ".git", "objects")).ShouldBeTrue("the cache must be kept");
            return;
        }

        string archive = await harness.DownloadAsync(request);
        string sha256 = GitDownloadHarness.Sha256Of(archive);
        switch (c.Expect.Split(':', 2))
        {
            case ["sha256", string expected]:
                sha256.ShouldBe(expected);
                break;
            case ["fail", "hash-mismatch"]:
                sha256.ShouldNotBe(c.HashFileSha256());
                break;
            case ["ok", "no-hash-file"]:
                File.Exists(c.HashFilePath).ShouldBeFalse();
                TarListing.Names(archive).ShouldContain($"{c.Name}-{c.Version}/file");
                break;
            default:
                throw new InvalidOperationException($"Unknown expectation '{c.Expect}' in cases.tsv.");
        }

        if (c.LicenseFile.Length > 0)
        {
            string extracted = TarListing.Extract(archive, harness.Folder.Combine("extracted"));
            string license = GitDownloadHarness.Sha256Of(Path.Combine(extracted, $"{c.Name}-{c.Version}", c.LicenseFile));

            // A case made to fail lists a wrong license hash too, as its hash file does.
            if (c.Expect == "fail:hash-mismatch")
            {
                license.ShouldNotBe(c.LicenseSha256);
            }
            else
            {
                license.ShouldBe(c.LicenseSha256);
            }
        }
    }

    [ConformanceFact]
    public async Task Export_subst_writes_the_full_sha1_and_a_newline_into_file2()
    {
        GitConformanceCase c = GitConformanceCase.ReadAll().Single(x => x.Name == "export-subst");
        using var harness = new GitDownloadHarness("conf-subst");

        string archive = await harness.DownloadAsync(harness.Request(_remote.UrlOf(c.Remote), c.Version, $"{c.Name}-{c.Version}"));

        const string Expected = "0fdb95cf4f3c5ed4003287649cabb33c5f843e26\n";
        File.ReadAllText(Path.Combine(harness.CacheFolder, "file2")).ShouldBe(Expected);
        string extracted = TarListing.Extract(archive, harness.Folder.Combine("extracted"));
        File.ReadAllText(Path.Combine(extracted, $"{c.Name}-{c.Version}", "file2")).ShouldBe(Expected);
    }

    /// <summary>The conformance remotes, copied once to a temporary folder (the originals stay untouched).</summary>
    public sealed class RemoteCopy : IDisposable
    {
        private readonly TemporaryFolder _folder = new("conf-remote");

        public RemoteCopy()
        {
            GitTestConfiguration.EnsureInstalled();
            if (Directory.Exists(Path.Combine(GitConformanceCase.Folder, "remote")))
            {
                GitConformanceCase.CopyRemotes(_folder.Combine("remote"));
            }
        }

        public string UrlOf(string remote) => new Uri(_folder.Combine("remote", remote)).AbsoluteUri;

        public void Dispose() => _folder.Dispose();
    }
}
