using System.Security.Cryptography;
using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Archives;

/// <summary>
/// The writer against an archive Buildroot itself published (made with GNU tar 1.35 and gzip):
/// a checkout of the conformance repository, archived without its <c>.git</c>, must have the
/// sha256 of the <c>good</c> case. The git backend's own tests cover the download around it.
/// </summary>
public sealed class ReproducibleArchiveConformanceTests : IDisposable
{
    private const string Commit = "a238b1dfcd825d47d834af3c5223417c8411d90d";

    private readonly TemporaryFolder _scratch = new("archive-conf");

    public void Dispose() => _scratch.Dispose();

    [ConformanceFact]
    public async Task Archive_of_a_git_checkout_has_the_sha256_buildroot_published()
    {
        string expected = ExpectedSha256("good");
        string checkout = CloneAt(Commit);
        long date = long.Parse(Git(checkout, "log", "-1", "--pretty=format:%ct"), System.Globalization.CultureInfo.InvariantCulture);
        string output = _scratch.Combine($"good-{Commit}-git4.tar.gz");

        await ReproducibleArchive.CreateAsync(
            new ArchiveRequest(checkout, $"good-{Commit}", DateTimeOffset.FromUnixTimeSeconds(date), output, [".git"], "gzip"),
            new ProcessRunner(new RecordingLog()),
            CancellationToken.None);

        Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(output))).ToLowerInvariant().ShouldBe(expected);
    }

    private static string ExpectedSha256(string caseName)
    {
        string line = File.ReadLines(Path.Combine(RepositoryPaths.GitConformance, "cases.tsv")).Single(l => l.StartsWith(caseName + "\t", StringComparison.Ordinal));
        string expect = line.Split('\t')[5];
        expect.ShouldStartWith("sha256:");
        return expect["sha256:".Length..];
    }

    private string CloneAt(string commit)
    {
        string remote = _scratch.Combine("remote");
        CopyFolder(Path.Combine(RepositoryPaths.GitConformance, "remote"), remote);
        string checkout = _scratch.Combine("checkout");
        Git(_scratch.Path, "clone", "--quiet", "--no-checkout", Path.Combine(remote, "repo.git"), checkout);
        Git(checkout, "checkout", "--quiet", "--force", commit);
        return checkout;
    }

    private static string Git(string folder, params string[] arguments) =>
        System.Text.Encoding.UTF8.GetString(GnuTarReference.Run(
            "git",
            ["-c", "protocol.file.allow=always", "-c", "safe.directory=*", "-c", "advice.detachedHead=false", .. arguments],
            folder));

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
