using System.Security;
using System.Text;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// The version-control methods besides git through <c>dotnet build</c>: svn, hg, bzr and cvs,
/// each from a local repository made here with the real tool, where the version asked for is
/// not the latest one.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class VersionControlTests(PackedPackage package, ITestOutputHelper output)
{
    [RequiresToolsFact("svn", "svnadmin", "hg", "brz", "cvs", "tar")]
    public async Task Svn_hg_bzr_and_cvs_packages_are_archived_at_their_version_and_only_svn_is_hash_checked()
    {
        using var project = new EndToEndProject(package, output, "vcs");
        var upstream = new Upstream(Path.Combine(project.Root, "upstream"));

        // hg and bzr are on Buildroot's no-check list: a hash file that lists nothing for them
        // (an error for any other method) is no reason to fail, and cvs gets no warning for having
        // no hash file at all. svn archives are reproducible, so svn's missing hash file is warned about.
        project.WriteFile("unrelated.hash", Encoding.UTF8.GetBytes($"sha256  {new string('0', 64)}  something-else-1.0.tar.gz\n"));
        project.WriteProject($"""
            <BuildrootPackage Include="svnfoo" Version="1" Site="{Escape(upstream.SvnTrunk())}" SiteMethod="svn" />
            <BuildrootPackage Include="hgfoo" Version="v1.0" Site="{Escape(upstream.HgRepository())}" SiteMethod="hg" HashFiles="unrelated.hash" />
            <BuildrootPackage Include="bzrfoo" Version="1" Site="{Escape(upstream.BzrBranch())}" SiteMethod="bzr" HashFiles="unrelated.hash" />
            <BuildrootPackage Include="cvsfoo" Version="v1_0" Site="{Escape(upstream.CvsRoot("cvsfoo"))}" SiteMethod="cvs" />
            """);

        BuildResult result = await project.BuildAsync();

        result.ShouldSucceed();
        string svn = project.DownloadedPath("svnfoo", "svnfoo-1-svn5.tar.gz");
        TarContents.Names(svn).ShouldBe(["svnfoo-1/README"], result.ToString());
        TarContents.ReadText(svn, "svnfoo-1/README").ShouldBe(Upstream.First);

        string hg = project.DownloadedPath("hgfoo", "hgfoo-v1.0.tar.gz");
        TarContents.Names(hg).ShouldBe(["hgfoo-v1.0/.hg_archival.txt", "hgfoo-v1.0/README"], ignoreOrder: true, result.ToString());
        TarContents.ReadText(hg, "hgfoo-v1.0/README").ShouldBe(Upstream.First);

        string bzr = project.DownloadedPath("bzrfoo", "bzrfoo-1.tar.gz");
        TarContents.Names(bzr).Where(IsFile).ShouldBe(["bzrfoo-1/README"], result.ToString());
        TarContents.ReadText(bzr, "bzrfoo-1/README").ShouldBe(Upstream.First);

        // The checkout's own CVS/ folders are in the archive, as in Buildroot's; NEWS came after the tag.
        string cvs = project.DownloadedPath("cvsfoo", "cvsfoo-v1_0.tar.gz");
        TarContents.Names(cvs).Where(IsFile).Where(name => !name.Contains("/CVS/", StringComparison.Ordinal)).ShouldBe(["cvsfoo-v1_0/README"], result.ToString());
        TarContents.ReadText(cvs, "cvsfoo-v1_0/README").ShouldBe(Upstream.First);

        result.AllCodes.ShouldBe(["BRDL0201"], result.ToString());
        result.LinesWith("BRDL0201").ShouldAllBe(line => line.Contains("BRDL0201: svnfoo:"), result.ToString());
        result.DownloadedFiles.Select(f => (f.Path, f.Verified)).ShouldBe([(svn, (bool?)false), (hg, false), (bzr, false), (cvs, false)], ignoreOrder: true, result.ToString());
    }

    private static bool IsFile(string entry) => !entry.EndsWith('/');

    private static string Escape(string value) => SecurityElement.Escape(value);

    /// <summary>
    /// One repository per tool, each with a README reading <see cref="First"/> at the version the
    /// test asks for, and something else at a later revision.
    /// </summary>
    private sealed class Upstream
    {
        public const string First = "one\n";

        // Another size than First: every tool sees the change, whatever the file's timestamp.
        private const string Later = "two, and longer\n";

        private readonly string _folder;

        public Upstream(string folder)
        {
            _folder = folder;
            Directory.CreateDirectory(folder);
        }

        /// <summary>r1 imports README; r2 changes it.</summary>
        public string SvnTrunk()
        {
            string repository = Path.Combine(_folder, "svn");
            string trunk = new Uri(repository).AbsoluteUri + "/trunk";
            VcsTool.Run(_folder, "svnadmin", "create", repository);
            string import = Write("svn-import", First);
            VcsTool.Run(_folder, "svn", "import", "-q", "-m", "first", import, trunk);
            string work = Path.Combine(_folder, "svn-work");
            VcsTool.Run(_folder, "svn", "checkout", "-q", trunk, work);
            File.WriteAllText(Path.Combine(work, "README"), Later);
            VcsTool.Run(work, "svn", "commit", "-q", "-m", "second");
            return trunk;
        }

        /// <summary>README committed and tagged v1.0, then changed.</summary>
        public string HgRepository()
        {
            string repository = Write("hg", First);
            VcsTool.Run(repository, "hg", "init");
            VcsTool.Run(repository, "hg", "commit", "--addremove", "-m", "first", "-d", "1700000000 0");
            VcsTool.Run(repository, "hg", "tag", "-d", "1700000100 0", "v1.0");
            File.WriteAllText(Path.Combine(repository, "README"), Later);
            VcsTool.Run(repository, "hg", "commit", "-m", "second", "-d", "1700000200 0");
            return new Uri(repository).AbsoluteUri;
        }

        /// <summary>r1 commits README; r2 changes it.</summary>
        public string BzrBranch()
        {
            string branch = Write("bzr", First);
            VcsTool.Run(branch, "brz", "init", "-q");
            VcsTool.Run(branch, "brz", "add", "-q");
            VcsTool.Run(branch, "brz", "commit", "-q", "-m", "first");
            File.WriteAllText(Path.Combine(branch, "README"), Later);
            VcsTool.Run(branch, "brz", "commit", "-q", "-m", "second");
            return new Uri(branch).AbsoluteUri;
        }

        /// <summary>A <c>:local:</c> root whose <paramref name="module"/> is tagged v1_0 with README, then gains NEWS.</summary>
        public string CvsRoot(string module)
        {
            string root = ":local:" + Path.Combine(_folder, "cvsroot");
            VcsTool.Run(_folder, "cvs", "-d", root, "init");
            VcsTool.Run(Write("cvs-import", First), "cvs", "-Q", "-d", root, "import", "-m", "first", module, "vendor", "start");
            VcsTool.Run(_folder, "cvs", "-Q", "-d", root, "checkout", "-d", "cvs-work", module);
            string work = Path.Combine(_folder, "cvs-work");
            VcsTool.Run(work, "cvs", "-Q", "tag", "v1_0");
            File.WriteAllText(Path.Combine(work, "NEWS"), Later);
            VcsTool.Run(work, "cvs", "-Q", "add", "NEWS");
            VcsTool.Run(work, "cvs", "-Q", "commit", "-m", "second");
            return root;
        }

        /// <summary>A folder holding README with <paramref name="readme"/>.</summary>
        private string Write(string name, string readme)
        {
            string path = Path.Combine(_folder, name);
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "README"), readme);
            return path;
        }
    }
}
