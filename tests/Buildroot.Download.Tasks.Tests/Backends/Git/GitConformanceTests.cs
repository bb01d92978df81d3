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
        foreach (ConformanceCase c in ConformanceCase.ReadAll())
        {
            cases.Add(c.Name);
        }

        return cases;
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public async Task Archive_from_git_is_the_one_Buildroot_makes(string caseName)
    {
        ConformanceCase c = ConformanceCase.ReadAll().Single(x => x.Name == caseName);
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
        ConformanceCase c = ConformanceCase.ReadAll().Single(x => x.Name == "export-subst");
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
            string source = Path.Combine(RepositoryPaths.GitConformance, "remote");
            if (Directory.Exists(source))
            {
                CopyFolder(source, _folder.Combine("remote"));
            }
        }

        public string UrlOf(string remote) => new Uri(_folder.Combine("remote", remote)).AbsoluteUri;

        public void Dispose() => _folder.Dispose();

        private static void CopyFolder(string source, string destination)
        {
            Directory.CreateDirectory(destination);
            foreach (string file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
            }

            foreach (string folder in Directory.EnumerateDirectories(source))
            {
                CopyFolder(folder, Path.Combine(destination, Path.GetFileName(folder)));
            }
        }
    }

    private sealed record ConformanceCase(
        string Name,
        string Remote,
        string Version,
        bool Submodules,
        string File,
        string Expect,
        string LicenseFile,
        string LicenseSha256)
    {
        public string HashFilePath => Path.Combine(RepositoryPaths.GitConformance, "hashes", Name + ".hash");

        public static IReadOnlyList<ConformanceCase> ReadAll()
        {
            string table = Path.Combine(RepositoryPaths.GitConformance, "cases.tsv");
            if (!System.IO.File.Exists(table))
            {
                // Keeps discovery working without the data; ConformanceTheory skips the test then.
                return [new ConformanceCase("absent", "", "", false, "", "", "", "")];
            }

            return System.IO.File.ReadAllLines(table)
                .Skip(1)
                .Where(line => line.Length > 0)
                .Select(line => line.Split('\t'))
                .Select(f => new ConformanceCase(f[0], f[1], f[2], f[3] == "yes", f[4], f[5], f.ElementAtOrDefault(6) ?? "", f.ElementAtOrDefault(7) ?? ""))
                .ToArray();
        }

        /// <summary>The sha256 the hash file lists for the archive (check-hash format: "&lt;algo&gt; &lt;hex&gt; &lt;file&gt;", leading blanks allowed).</summary>
        public string HashFileSha256() =>
            System.IO.File.ReadLines(HashFilePath)
                .Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Single(fields => fields is ["sha256", _, var name] && name == File)[1];
    }
}
