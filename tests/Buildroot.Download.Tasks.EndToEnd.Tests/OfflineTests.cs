using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary><c>BuildrootDownloadOffline=true</c>: build from what the download folder holds, never ask the network.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class OfflineTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Offline_build_uses_a_file_already_in_the_download_folder_without_any_request()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "offlinehit");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");
        string present = project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(present)!);
        File.WriteAllBytes(present, tarball); // as a download folder shared from another machine holds it

        BuildResult result = await project.BuildAsync("-p:BuildrootDownloadOffline=true");

        result.ShouldSucceed();
        server.Requests.ShouldBeEmpty();
        result.DownloadedFiles.ShouldBe([new DownloadedFile(present, "zlib", Transient: false, Verified: true)], result.ToString());
    }

    [Fact]
    public async Task Offline_build_with_a_missing_file_fails_with_BRDL0102_naming_the_file()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "offlinemiss");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");

        BuildResult result = await project.BuildAsync("-p:BuildrootDownloadOffline=true");

        result.ShouldFailWith("BRDL0102");
        result.LinesWith("BRDL0102").ShouldContain(line => line.Contains("zlib-1.3.1.tar.gz", StringComparison.Ordinal), result.ToString());
        server.Requests.ShouldBeEmpty();
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }
}
