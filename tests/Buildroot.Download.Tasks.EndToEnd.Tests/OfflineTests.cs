using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary><c>BuildrootDownloadOffline=true</c>: build from what the download folder holds, never ask the network.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class OfflineTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Offline_build_keeps_the_file_at_hand_and_fails_with_BRDL0102_naming_only_the_missing_one()
    {
        // The server could serve both files: only offline mode keeps the build from asking it.
        using var server = new LoopbackHttpServer();
        byte[] zlib = Payloads.Bytes("zlib-1.3.1");
        byte[] bzip2 = Payloads.Bytes("bzip2-1.0.8");
        server.Serve("/zlib-1.3.1.tar.gz", zlib);
        server.Serve("/bzip2-1.0.8.tar.gz", bzip2);
        using var project = new EndToEndProject(package, output, "offlinemiss");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", zlib));
        project.WriteFile("bzip2.hash", Payloads.HashLine("bzip2-1.0.8.tar.gz", bzip2));
        project.WriteProject($"""
            <BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />
            <BuildrootPackage Include="bzip2" Version="1.0.8" Site="{server.BaseUri}" HashFiles="bzip2.hash" />
            """);
        string present = project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(present)!);
        File.WriteAllBytes(present, zlib); // as a download folder shared from another machine holds it

        BuildResult result = await project.BuildAsync("-p:BuildrootDownloadOffline=true");

        result.ShouldFailWith("BRDL0102");
        string missing = result.LinesWith("BRDL0102").Distinct().ShouldHaveSingleItem(result.ToString());
        missing.ShouldContain("bzip2-1.0.8.tar.gz");
        missing.ShouldNotContain("zlib");
        server.Requests.ShouldBeEmpty();
        project.FilesInDownloadFolder().ShouldNotContain(file => file.Contains("bzip2", StringComparison.Ordinal));
        File.ReadAllBytes(present).ShouldBe(zlib);
    }

    [Fact]
    public async Task Offline_build_uses_the_copy_of_a_transient_package_at_hand_without_any_request()
    {
        // Online, a transient package is downloaded again at every build: offline, its copy is all there is.
        using var server = new LoopbackHttpServer();
        byte[] monday = Payloads.Bytes("nightly, monday");
        server.Serve("/nightly-main.tar.gz", Payloads.Bytes("nightly, tuesday"));
        using var project = new EndToEndProject(package, output, "offlinetransient");
        project.WriteProject($"""<BuildrootPackage Include="nightly" Version="main" Site="{server.BaseUri}" TransientDownload="YES" />""");
        string present = project.DownloadedPath("nightly", "nightly-main.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(present)!);
        File.WriteAllBytes(present, monday);

        BuildResult result = await project.BuildAsync("-p:BuildrootDownloadOffline=true");

        result.ShouldSucceed();
        server.Requests.ShouldBeEmpty();
        File.ReadAllBytes(present).ShouldBe(monday);
        result.DownloadedFiles.ShouldBe([new DownloadedFile(present, "nightly", Transient: true, Verified: false)], result.ToString());
    }
}
