using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary><c>BuildrootSbom</c>: a CycloneDX 1.6 SBOM of what a build downloaded.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SbomTests(PackedPackage package, ITestOutputHelper output)
{
    [RequiresToolsFact("git")]
    public async Task The_SBOM_of_a_build_describes_every_kind_of_package_and_validates_against_the_CycloneDX_schema()
    {
        using var server = new LoopbackHttpServer();
        using var project = new EndToEndProject(package, output, "sbom");
        project.UseOwnGitConfiguration();

        // A plain download with a patch from another URL, both listed in a hash file (the source twice: sha256 and sha1).
        byte[] zlib = Payloads.Bytes("zlib-1.3.1");
        byte[] patch = Payloads.Bytes("zlib fix", kilobytes: 1);
        server.Serve("/zlib/zlib-1.3.1.tar.gz", zlib);
        server.Serve("/patches/zlib-fix-crash.patch", patch);
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", zlib) + $"sha1  {Sha1(zlib)}  zlib-1.3.1.tar.gz\n" + Payloads.HashLine("zlib-fix-crash.patch", patch));

        // A manifest with a CPE vendor and licenses with scopes, as Buildroot's own manifests write them.
        byte[] libfoo = Payloads.Bytes("libfoo-2.4.1");
        server.Serve("/libfoo/libfoo-2.4.1.tar.gz", libfoo);
        project.WriteFile("packages/libfoo/libfoo.hash", Payloads.HashLine("libfoo-2.4.1.tar.gz", libfoo));
        project.WriteFile("packages/libfoo/libfoo.mk", $"""
            LIBFOO_VERSION = 2.4.1
            LIBFOO_SITE = {server.BaseUri}/libfoo
            LIBFOO_LICENSE = GPL-2.0+ (programs), LGPL-2.1+ (libraries)
            LIBFOO_LICENSE_FILES = COPYING COPYING.LIB
            LIBFOO_CPE_ID_VENDOR = gnu
            $(eval $(autotools-package))

            """);

        // A transient package: its hash is what this build fetched.
        byte[] nightly = Payloads.Bytes("nightly, friday");
        server.Serve("/snapshots/nightly-main.tar.gz", nightly);

        string repository = TinyGitRepository.Create(Path.Combine(project.Root, "upstream", "libgit.git"), tag: "v1.0");
        string repositoryUrl = new Uri(repository).AbsoluteUri;
        project.WriteProject($"""
            <BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}/zlib" HashFiles="zlib.hash"
                              Patch="{server.BaseUri}/patches/zlib-fix-crash.patch" License="Zlib" LicenseFiles="LICENSE" />
            <BuildrootPackage Include="libgit" Version="v1.0" Site="{repositoryUrl}" SiteMethod="git" License="Apache-2.0 or MIT" />
            <BuildrootManifest Include="packages/*/*.mk" />
            <BuildrootPackage Include="nightly" Version="main" Site="{server.BaseUri}/snapshots" TransientDownload="YES" />
            """);

        BuildResult result = await project.BuildAsync("-t:Build;BuildrootSbom");

        result.ShouldSucceed().ShouldNotWarn("BRDL1001");
        string sbomPath = Path.Combine(project.IntermediateFolder, "buildroot-sbom.cdx.json");
        result.ShouldPrint(sbomPath);
        string json = File.ReadAllText(sbomPath);
        CycloneDxSchema.Errors(json).ShouldBeEmpty(json);

        JsonNode sbom = JsonNode.Parse(json)!;
        sbom["specVersion"]!.GetValue<string>().ShouldBe("1.6");
        sbom["metadata"]!["component"]!["name"]!.GetValue<string>().ShouldBe("Consumer");
        sbom["components"]!.AsArray().Select(c => c!["bom-ref"]!.GetValue<string>()).ShouldBe(["zlib", "libgit", "libfoo", "nightly"], ignoreOrder: true);

        JsonNode zlibComponent = Component(sbom, "zlib");
        (Text(zlibComponent, "name"), Text(zlibComponent, "version")).ShouldBe(("zlib", "1.3.1"));
        zlibComponent["licenses"]!.ToJsonString().ShouldBe("""[{"license":{"id":"Zlib"}}]""");
        zlibComponent["cpe"].ShouldBeNull("Buildroot gives a CPE only to packages that set a CPE_ID variable");
        JsonNode source = Reference(zlibComponent, $"{server.BaseUri}/zlib/zlib-1.3.1.tar.gz");
        Text(source, "type").ShouldBe("source-distribution");
        Hashes(source).ShouldBe([("SHA-256", Payloads.Sha256(zlib)), ("SHA-1", Sha1(zlib))], ignoreOrder: true);
        Hashes(zlibComponent).ShouldBe(Hashes(source), ignoreOrder: true);
        string patchUrl = $"{server.BaseUri}/patches/zlib-fix-crash.patch";
        Hashes(Reference(zlibComponent, patchUrl)).ShouldBe([("SHA-256", Payloads.Sha256(patch))]);
        Text(zlibComponent["pedigree"]!["patches"]![0]!["diff"]!, "url").ShouldBe(patchUrl);
        Property(zlibComponent, "buildroot:transient-download").ShouldBe("false");

        // Version control: the repository and the changeset, and the hash of the archive made from it.
        JsonNode libgitComponent = Component(sbom, "libgit");
        JsonNode vcs = Reference(libgitComponent, repositoryUrl);
        Text(vcs, "type").ShouldBe("vcs");
        Text(vcs, "comment").ShouldContain("changeset v1.0");
        Property(libgitComponent, "buildroot:changeset").ShouldBe("v1.0");
        string archive = project.DownloadedPath("libgit", "libgit-v1.0-git4.tar.gz");
        Hashes(vcs).ShouldBe([("SHA-256", Payloads.Sha256(File.ReadAllBytes(archive)))]);
        libgitComponent["licenses"]!.ToJsonString().ShouldBe("""[{"expression":"Apache-2.0 OR MIT"}]""");

        // From the manifest: Buildroot's CPE with its defaults, licenses as SPDX ids with their scopes kept.
        JsonNode libfooComponent = Component(sbom, "libfoo");
        Text(libfooComponent, "cpe").ShouldBe("cpe:2.3:a:gnu:libfoo:2.4.1:-:*:*:*:*:*:*");
        libfooComponent["licenses"]!.AsArray().Select(l => (Text(l!["license"]!, "id"), Property(l["license"]!, "buildroot:license")))
            .ShouldBe([("GPL-2.0+", "GPL-2.0+ (programs)"), ("LGPL-2.1+", "LGPL-2.1+ (libraries)")]);
        Property(libfooComponent, "buildroot:license-files").ShouldBe("COPYING COPYING.LIB");
        Hashes(Reference(libfooComponent, $"{server.BaseUri}/libfoo/libfoo-2.4.1.tar.gz")).ShouldBe([("SHA-256", Payloads.Sha256(libfoo))]);

        JsonNode nightlyComponent = Component(sbom, "nightly");
        Property(nightlyComponent, "buildroot:transient-download").ShouldBe("true");
        Hashes(Reference(nightlyComponent, $"{server.BaseUri}/snapshots/nightly-main.tar.gz")).ShouldBe([("SHA-256", Payloads.Sha256(nightly))]);
    }

    [Fact]
    public async Task The_SBOM_path_can_be_chosen_and_needs_no_network()
    {
        using var project = new EndToEndProject(package, output, "sbompath");
        project.WriteFile("zlib.hash", "sha256  " + new string('a', 64) + "  zlib-1.3.1.tar.xz\n");

        // Nothing listens on port 1, and nothing is downloaded: the listed hash is what the SBOM gives.
        project.WriteProject("""<BuildrootPackage Include="zlib" Version="1.3.1" Source="zlib-1.3.1.tar.xz" Site="http://127.0.0.1:1/zlib" HashFiles="zlib.hash" />""");
        string chosen = Path.Combine(project.Root, "release", "sbom.json");

        BuildResult result = await project.RunTargetAsync("BuildrootSbom", $"-p:BuildrootSbomFile={chosen}");

        result.ShouldSucceed().ShouldPrint(chosen).ShouldNotWarn("BRDL1001");
        JsonNode zlib = Component(JsonNode.Parse(File.ReadAllText(chosen))!, "zlib");
        Hashes(zlib).ShouldBe([("SHA-256", new string('a', 64))]);
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    private static JsonNode Component(JsonNode sbom, string bomRef) =>
        sbom["components"]!.AsArray().SingleOrDefault(c => c!["bom-ref"]!.GetValue<string>() == bomRef)
        ?? throw new ShouldAssertException($"No component {bomRef} in {sbom.ToJsonString()}");

    private static JsonNode Reference(JsonNode component, string url) =>
        component["externalReferences"]?.AsArray().SingleOrDefault(r => r!["url"]!.GetValue<string>() == url)
        ?? throw new ShouldAssertException($"No external reference to {url} in {component.ToJsonString()}");

    private static (string Algorithm, string Hex)[] Hashes(JsonNode node) =>
        node["hashes"]?.AsArray().Select(h => (Text(h!, "alg"), Text(h!, "content"))).ToArray() ?? [];

    private static string? Property(JsonNode node, string name) =>
        node["properties"]?.AsArray().SingleOrDefault(p => p!["name"]!.GetValue<string>() == name)?["value"]?.GetValue<string>();

    private static string Text(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new ShouldAssertException($"No \"{name}\" in {node.ToJsonString()}");

    private static string Sha1(byte[] content) => Convert.ToHexString(SHA1.HashData(content)).ToLowerInvariant();
}

/// <summary>A bare git repository with one commit and a tag, made with the real git.</summary>
internal static class TinyGitRepository
{
    public static string Create(string bareRepository, string tag)
    {
        string work = bareRepository + ".work";
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "README"), "libgit\n");
        Git(work, "init", "-q", "-b", "main");
        Git(work, "add", "README");
        Git(work, "commit", "-q", "-m", "first");
        Git(work, "tag", tag);
        Git(Path.GetDirectoryName(bareRepository)!, "clone", "-q", "--bare", work, bareRepository);
        return bareRepository;
    }

    /// <summary>A commit identity of the test's own, and none of the user's or system's git configuration.</summary>
    private static readonly Dictionary<string, string?> GitIdentity = new()
    {
        ["GIT_AUTHOR_NAME"] = "t",
        ["GIT_AUTHOR_EMAIL"] = "t@example.org",
        ["GIT_COMMITTER_NAME"] = "t",
        ["GIT_COMMITTER_EMAIL"] = "t@example.org",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
    };

    private static void Git(string folder, params string[] arguments) =>
        ReferenceTool.Run("git", arguments, folder, GitIdentity);
}
