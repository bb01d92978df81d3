using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary><c>BuildrootVerify</c>: every downloaded file against its hashes, without the network.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class VerifyTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task BuildrootVerify_catches_a_file_altered_after_download()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "verify");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");
        (await project.BuildAsync()).ShouldSucceed();
        server.ClearRequests();
        (await project.RunTargetAsync("BuildrootVerify")).ShouldSucceed();

        string landed = project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz");
        byte[] altered = tarball.ToArray();
        altered[altered.Length / 2] ^= 0x01;
        File.WriteAllBytes(landed, altered);
        BuildResult result = await project.RunTargetAsync("BuildrootVerify");

        result.ShouldFailWith("BRDL0202");
        result.LinesWith("BRDL0202").ShouldContain(line => line.Contains("zlib-1.3.1.tar.gz", StringComparison.Ordinal), result.ToString());
        server.Requests.ShouldBeEmpty();
        File.ReadAllBytes(landed).ShouldBe(altered, "verifying reports; it neither deletes nor downloads");
    }

    [Fact]
    public async Task BuildrootVerify_agrees_with_the_download_on_a_transient_package_whose_branch_head_moved()
    {
        using var server = new LoopbackHttpServer();
        byte[] released = Payloads.Bytes("foo-main");
        server.Serve("/foo-main.tar.gz", released);
        using var project = new EndToEndProject(package, output, "verify-transient");
        project.WriteFile("foo.hash", Payloads.HashLine("foo-main.tar.gz", released));
        project.WriteProject($"""<BuildrootPackage Include="foo" Version="main" Site="{server.BaseUri}" HashFiles="foo.hash" TransientDownload="true" />""");

        // The branch head moves on: the download takes it without checking, as a transient package must.
        server.Serve("/foo-main.tar.gz", Payloads.Bytes("foo-main, one push later"));
        (await project.BuildAsync()).ShouldSucceed();
        BuildResult result = await project.RunTargetAsync("BuildrootVerify");

        result.ShouldSucceed("what the download accepts, BuildrootVerify must not fail");
        result.ErrorCodes.ShouldBeEmpty(result.ToString());
    }
}
