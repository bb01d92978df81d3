using System.Security;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// A CI fleet, simulated: machines with download folders of their own (separate projects, as on
/// separate agents) sharing one asset cache, nginx with WebDAV. Upstream is an HTTP server that
/// counts requests, and a git repository (Buildroot's own conformance remote, whose archive's
/// sha256 Buildroot published) served over <c>file://</c>.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FleetTests(PackedPackage package, ITestOutputHelper output)
{
    private const int Machines = 4;

    /// <summary>Plain files upstream serves: sources, a patch, an extra download.</summary>
    private static readonly (string Package, string File, byte[] Content)[] UpstreamFiles =
    [
        ("zlib", "zlib-1.3.1.tar.gz", Payloads.Bytes("zlib-1.3.1", kilobytes: 256)),
        ("zlib", "zlib-cve.patch", Payloads.Bytes("zlib-cve.patch", kilobytes: 4)),
        ("bzip2", "bzip2-1.0.8.tar.gz", Payloads.Bytes("bzip2-1.0.8", kilobytes: 256)),
        ("bzip2", "bzip2-docs.tar.gz", Payloads.Bytes("bzip2-docs", kilobytes: 64)),
        ("xz", "xz-5.6.3.tar.gz", Payloads.Bytes("xz-5.6.3", kilobytes: 512)),
    ];

    [ConformanceFact]
    public async Task Four_machines_fetch_each_upstream_file_once_in_total_then_a_fifth_builds_from_the_cache_alone_with_upstream_and_git_gone()
    {
        GitConformanceCase git = GitConformanceCase.ReadAll().Single(c => c.Name == "good");
        using var nginx = new NginxWebDavServer();
        using var upstream = new LoopbackHttpServer();
        foreach ((string name, string file, byte[] content) in UpstreamFiles)
        {
            upstream.Serve($"/{name}/{file}", content);
        }

        using var remotes = new TemporaryFolder("fleet-git");
        GitConformanceCase.CopyRemotes(remotes.Path);
        string items = Items(upstream, git, new Uri(Path.Combine(remotes.Path, git.Remote)).AbsoluteUri)
            + $$"""<BuildrootAssetCache Include="{{nginx.BaseUri}}/cache/{sha256}" Access="readwrite" />""";

        var firstArchive = (byte[]?)null;
        for (int machine = 1; machine <= Machines; machine++)
        {
            using EndToEndProject agent = Agent($"fleet-{machine}", items, git);
            BuildResult result = await agent.BuildAsync();

            result.ShouldSucceed().ShouldNotWarn("BRDL0904").ShouldNotWarn("BRDL0905").ShouldNotWarn("BRDL0906");
            ProblemsWithFiles(agent, git).ShouldBeEmpty(result.ToString());
            byte[] archive = File.ReadAllBytes(agent.DownloadedPath(git.Name, git.File));
            firstArchive ??= archive;
            archive.ShouldBe(firstArchive);
            bool cloned = Directory.Exists(Path.Combine(agent.DownloadFolder, git.Name, "git"));
            cloned.ShouldBe(machine == 1, $"machine {machine}: only the first clones the repository; the others get its archive from the cache");
            if (machine > 1)
            {
                UpstreamFiles.Select(f => f.File).Append(git.File)
                    .ShouldAllBe(file => result.Output.Contains($"{file} from asset cache 1"), result.ToString());
            }
        }

        foreach ((string name, string file, byte[] content) in UpstreamFiles)
        {
            upstream.RequestCount($"/{name}/{file}").ShouldBe(1, $"{file}: requested once by the whole fleet");
            nginx.Stored($"cache/{Payloads.Sha256(content)}").ShouldBe(content);
        }

        nginx.Stored($"cache/{git.Sha256}").ShouldBe(firstArchive);
        upstream.Requests.Count.ShouldBe(UpstreamFiles.Length, "nothing else was asked of upstream");
        output.WriteLine($"MEASURED fleet: {Machines} machines, {UpstreamFiles.Length} files and 1 git repository: {upstream.Requests.Count} upstream requests and 1 clone in all (without the cache: {Machines * UpstreamFiles.Length} requests and {Machines} clones).");

        // Upstream goes down, the git repository is gone, and the fifth machine has no git at all.
        upstream.Dispose();
        remotes.Dispose();
        using EndToEndProject fifth = Agent("fleet-5", items, git);
        BuildResult alone = await fifth.BuildAsync($"-p:BuildrootGitPath={Path.Combine(fifth.Root, "no-git-here", "git")}");

        alone.ShouldSucceed();
        alone.AllCodes.ShouldBeEmpty(alone.ToString());
        ProblemsWithFiles(fifth, git).ShouldBeEmpty(alone.ToString());
        File.ReadAllBytes(fifth.DownloadedPath(git.Name, git.File)).ShouldBe(firstArchive);
        alone.DownloadedFiles.Count.ShouldBe(UpstreamFiles.Length + 1);
        alone.DownloadedFiles.ShouldAllBe(file => file.Verified == true, alone.ToString());
    }

    private EndToEndProject Agent(string name, string items, GitConformanceCase git)
    {
        var agent = new EndToEndProject(package, output, name);
        agent.UseOwnGitConfiguration();
        foreach (IGrouping<string, (string Package, string File, byte[] Content)> files in UpstreamFiles.GroupBy(f => f.Package))
        {
            agent.WriteFile($"{files.Key}.hash", string.Concat(files.Select(f => Payloads.HashLine(f.File, f.Content))));
        }

        agent.WriteFile($"{git.Name}.hash", File.ReadAllBytes(git.HashFile!));
        agent.WriteProject(items);
        return agent;
    }

    private static string Items(LoopbackHttpServer upstream, GitConformanceCase git, string remote) => $"""
        <BuildrootPackage Include="zlib" Version="1.3.1" Site="{upstream.BaseUri}/zlib" Patch="zlib-cve.patch" HashFiles="zlib.hash" />
        <BuildrootPackage Include="bzip2" Version="1.0.8" Site="{upstream.BaseUri}/bzip2" ExtraDownloads="bzip2-docs.tar.gz" HashFiles="bzip2.hash" />
        <BuildrootPackage Include="xz" Version="5.6.3" Site="{upstream.BaseUri}/xz" HashFiles="xz.hash" />
        <BuildrootPackage Include="{git.Name}" Version="{git.Version}" Site="{SecurityElement.Escape(remote)}" SiteMethod="git" HashFiles="{git.Name}.hash" />
        """;

    /// <summary>Every file of the fleet's packages that is missing or not what upstream has (the git archive: not Buildroot's).</summary>
    private static IEnumerable<string> ProblemsWithFiles(EndToEndProject agent, GitConformanceCase git)
    {
        foreach ((string name, string file, byte[] content) in UpstreamFiles)
        {
            string path = agent.DownloadedPath(name, file);
            if (!File.Exists(path) || Payloads.Sha256(File.ReadAllBytes(path)) != Payloads.Sha256(content))
            {
                yield return $"{path} is missing or wrong";
            }
        }

        string archive = agent.DownloadedPath(git.Name, git.File);
        if (!File.Exists(archive) || Payloads.Sha256(File.ReadAllBytes(archive)) != git.Sha256)
        {
            yield return $"{archive} is missing or not Buildroot's archive";
        }
    }
}
