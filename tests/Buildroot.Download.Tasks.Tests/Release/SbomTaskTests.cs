using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks.Tests.Release;

/// <summary><c>WriteBuildrootSbom</c> in-process: which hashes it tells, and what it never tells.</summary>
public sealed class SbomTaskTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("sbomtask");
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_file_neither_downloaded_nor_listed_is_warned_about_and_given_no_hash()
    {
        JsonNode component = Component(Write(Package("zlib", ("Version", "1.3.1"), ("Site", "https://zlib.net"))), "zlib");

        _engine.WarningCodes.ShouldBe([MessageCodes.SbomFileWithoutHash], _engine.Transcript);
        _engine.Warnings[0].Message!.ShouldContain("zlib-1.3.1.tar.gz");
        component["hashes"].ShouldBeNull();
        component["externalReferences"]![0]!["hashes"].ShouldBeNull();
    }

    [Fact]
    public void A_transient_file_is_described_by_what_is_in_the_download_folder_not_by_stale_listed_hashes()
    {
        byte[] fetched = RandomNumberGenerator.GetBytes(2048);
        Directory.CreateDirectory(_folder.Combine("dl", "nightly"));
        File.WriteAllBytes(_folder.Combine("dl", "nightly", "nightly-main.tar.gz"), fetched);
        string hashFile = _folder.WriteFile("nightly.hash", $"sha256  {new string('0', 64)}  nightly-main.tar.gz\n");

        JsonNode component = Component(
            Write(Package("nightly", ("Version", "main"), ("Site", "https://example.org/snapshots"), ("TransientDownload", "YES"), ("HashFiles", hashFile))),
            "nightly");

        component["hashes"]!.ToJsonString().ShouldBe($$"""[{"alg":"SHA-256","content":"{{Convert.ToHexString(SHA256.HashData(fetched)).ToLowerInvariant()}}"}]""");
        _engine.WarningCodes.ShouldBeEmpty();
    }

    [Fact]
    public void Credentials_in_a_site_never_reach_the_SBOM_and_a_git_scp_like_site_becomes_an_ssh_url()
    {
        string sbom = Write(
            Package("private", ("Version", "1.0"), ("Site", "https://ci-bot:s3cr3t@git.example.com/releases"), ("Hash", $"sha256:{new string('a', 64)}")),
            Package("libgit", ("Version", "v2"), ("Site", "git@github.com:example/libgit.git"), ("SiteMethod", "git"), ("Hash", $"sha256:{new string('b', 64)}")));

        sbom.ShouldNotContain("s3cr3t");
        Component(sbom, "private")["externalReferences"]![0]!["url"]!.GetValue<string>().ShouldBe("https://***@git.example.com/releases/private-1.0.tar.gz");
        Component(sbom, "libgit")["externalReferences"]![0]!["url"]!.GetValue<string>().ShouldBe("ssh://***@github.com/example/libgit.git"); // user info is always hidden, as in every log
        CycloneDxSchema.Errors(sbom).ShouldBeEmpty(sbom);
    }

    private string Write(params TaskItem[] packages)
    {
        string output = _folder.Combine("obj", "sbom.json");
        var task = new WriteBuildrootSbom
        {
            BuildEngine = _engine,
            Packages = packages,
            OutputFile = output,
            ProjectName = "app",
            DownloadDirectory = _folder.Combine("dl"),
            ScratchDirectory = _folder.Combine("scratch"),
        };
        task.Execute().ShouldBeTrue(_engine.Transcript);
        return File.ReadAllText(output);
    }

    private static TaskItem Package(string name, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(name);
        foreach ((string key, string value) in metadata)
        {
            item.SetMetadata(key, value);
        }

        return item;
    }

    private static JsonNode Component(string sbom, string name) =>
        JsonNode.Parse(sbom)!["components"]!.AsArray().Single(c => c!["bom-ref"]!.GetValue<string>() == name)!;
}
