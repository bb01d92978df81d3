using System.Security;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// Buildroot's own git download cases (<c>../shared/conformance/buildroot-git</c>) through a real
/// <c>dotnet build</c> of a project that references the packed package, the remotes copied to
/// the test's folder and cloned over <c>file://</c>: every archive is byte for byte the one
/// Buildroot makes, and every failing case fails the way Buildroot's does.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GitConformanceTests(PackedPackage package, ITestOutputHelper output)
{
    // The conformance README: file2 of the export-subst case reads the full sha1 of its commit.
    private const string ExportSubstFile2 = "0fdb95cf4f3c5ed4003287649cabb33c5f843e26\n";

    [ConformanceFact]
    public async Task Every_case_that_succeeds_gets_Buildroots_archive_and_a_second_build_fetches_nothing()
    {
        IReadOnlyList<GitConformanceCase> cases = GitConformanceCase.ReadAll().Where(c => c.Succeeds).ToList();
        using var project = new EndToEndProject(package, output, "git-conformance");
        project.UseOwnGitConfiguration();
        WriteProject(project, cases);

        // Normal verbosity prints the commands the download runs.
        BuildResult first = await project.BuildAsync("-v:n");

        first.ShouldSucceed().ShouldPrint("git fetch");
        cases.SelectMany(c => ProblemsWithArchive(project, c)).ShouldBeEmpty(first.ToString());
        first.DownloadedFiles
            .Select(f => (f.Path, f.Verified))
            .ShouldBe(cases.Select(c => (project.DownloadedPath(c.Name, c.File), (bool?)(c.Sha256 is not null))), ignoreOrder: true, first.ToString());
        GitConformanceCase withoutHashFile = cases.Single(c => c.Expect == "ok:no-hash-file");
        first.LinesWith("BRDL0201").ShouldNotBeEmpty(first.ToString());
        first.LinesWith("BRDL0201").ShouldAllBe(line => line.Contains($"BRDL0201: {withoutHashFile.Name}:"), first.ToString());
        GitConformanceCase exportSubst = cases.Single(c => c.Name == "export-subst");
        TarContents.ReadText(project.DownloadedPath(exportSubst.Name, exportSubst.File), $"{exportSubst.TopFolder}/file2").ShouldBe(ExportSubstFile2);

        Dictionary<string, DateTime> lastFetch = cases.ToDictionary(c => c.Name, c => File.GetLastWriteTimeUtc(FetchHead(project, c)));
        BuildResult second = await project.BuildAsync("-v:n");

        second.ShouldSucceed().ShouldNotPrint("git fetch");
        cases.ToDictionary(c => c.Name, c => File.GetLastWriteTimeUtc(FetchHead(project, c))).ShouldBe(lastFetch);
        cases.SelectMany(c => ProblemsWithArchive(project, c)).ShouldBeEmpty(second.ToString());
    }

    [ConformanceFact]
    public async Task Every_case_that_fails_reports_its_own_error_and_leaves_nothing_under_its_name()
    {
        IReadOnlyList<GitConformanceCase> cases = GitConformanceCase.ReadAll().Where(c => !c.Succeeds).ToList();
        cases.ShouldNotBeEmpty();
        cases.ShouldAllBe(c => c.Expect == "fail:hash-mismatch" || c.Expect == "fail:no-such-commit", "an expectation this test does not know");
        using var project = new EndToEndProject(package, output, "git-conformance-fail");
        project.UseOwnGitConfiguration();
        WriteProject(project, cases);

        BuildResult result = await project.BuildAsync();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.DownloadedFiles.ShouldBeEmpty(result.ToString());
        foreach (GitConformanceCase c in cases)
        {
            string code = c.Expect == "fail:no-such-commit" ? "BRDL0303" : "BRDL0202";
            result.LinesWith(code).ShouldContain(line => line.Contains($"error {code}: {c.Name}:"), $"{c}: no error {code} for it:{Environment.NewLine}{result}");
            if (c.Expect == "fail:no-such-commit")
            {
                result.LinesWith(code).ShouldContain(line => line.Contains($"The changeset '{c.Version}' does not exist"), $"{c}: the error should name the changeset");
            }

            LeftInPackageFolder(project, c).ShouldBeEmpty($"{c}: the download folder should hold nothing but the git cache");
        }
    }

    private static void WriteProject(EndToEndProject project, IReadOnlyList<GitConformanceCase> cases)
    {
        string remotes = Path.Combine(project.Root, "remote");
        GitConformanceCase.CopyRemotes(remotes);
        var items = new List<string>();
        foreach (GitConformanceCase c in cases)
        {
            string hashFiles = string.Empty;
            if (c.HashFile is { } hashFile)
            {
                project.WriteFile($"hashes/{c.Name}.hash", File.ReadAllBytes(hashFile));
                hashFiles = $""" HashFiles="hashes/{c.Name}.hash" """;
            }

            string site = new Uri(Path.Combine(remotes, c.Remote)).AbsoluteUri;
            string submodules = c.Submodules ? """ GitSubmodules="true" """ : string.Empty;
            items.Add($"""<BuildrootPackage Include="{c.Name}" Version="{c.Version}" Site="{SecurityElement.Escape(site)}" SiteMethod="git"{hashFiles}{submodules}/>""");
        }

        project.WriteProject(string.Join(Environment.NewLine, items));
    }

    /// <summary>What is wrong with a case's archive, if anything: its hash and its license file's, computed here.</summary>
    private static IEnumerable<string> ProblemsWithArchive(EndToEndProject project, GitConformanceCase c)
    {
        string archive = project.DownloadedPath(c.Name, c.File);
        if (!File.Exists(archive))
        {
            yield return $"{c}: no {archive}";
            yield break;
        }

        if (c.Sha256 is { } expected && Payloads.Sha256(File.ReadAllBytes(archive)) is var actual && actual != expected)
        {
            yield return $"{c}: the archive's sha256 is {actual}";
        }

        IReadOnlyList<string> names = TarContents.Names(archive);
        if (names.FirstOrDefault(name => !name.StartsWith(c.TopFolder + "/", StringComparison.Ordinal)) is { } outside)
        {
            yield return $"{c}: {outside} is outside {c.TopFolder}/";
        }

        if (c.LicenseFile.Length > 0 && Payloads.Sha256(TarContents.Read(archive, $"{c.TopFolder}/{c.LicenseFile}")) is var license && license != c.LicenseSha256)
        {
            yield return $"{c}: {c.LicenseFile}'s sha256 is {license}";
        }
    }

    private static string FetchHead(EndToEndProject project, GitConformanceCase c) =>
        Path.Combine(project.DownloadFolder, c.Name, "git", ".git", "FETCH_HEAD");

    /// <summary>
    /// The package folder's own entries, but for what is there by design: the lock, the git cache
    /// and its readme. A failed download must leave no archive and no temporary file.
    /// </summary>
    private static IEnumerable<string> LeftInPackageFolder(EndToEndProject project, GitConformanceCase c)
    {
        string folder = Path.Combine(project.DownloadFolder, c.Name);
        return Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Where(name => name is not (".lock" or "git" or "git.readme"))
            : [];
    }
}
