using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>Transient packages (the second seed): fetched again at every build, to follow a branch.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TransientTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Transient_package_is_downloaded_again_on_every_build_and_picks_up_changed_content()
    {
        using var server = new LoopbackHttpServer();
        byte[] firstSnapshot = Payloads.Bytes("nightly, monday");
        byte[] secondSnapshot = Payloads.Bytes("nightly, tuesday");
        server.Serve("/snapshots/nightly-main.tar.gz", firstSnapshot);
        using var project = new EndToEndProject(package, output, "transient");
        project.WriteProject($"""<BuildrootPackage Include="nightly" Version="main" Site="{server.BaseUri}/snapshots" TransientDownload="YES" />""");
        string landed = project.DownloadedPath("nightly", "nightly-main.tar.gz");

        BuildResult first = await project.BuildAsync();
        first.ShouldSucceed().ShouldWarn("BRDL0103").ShouldPrint(">>> nightly main Downloading");
        File.ReadAllBytes(landed).ShouldBe(firstSnapshot);
        first.DownloadedFiles.ShouldBe([new DownloadedFile(landed, "nightly", Transient: true, Verified: false)], first.ToString());

        server.Serve("/snapshots/nightly-main.tar.gz", secondSnapshot);
        BuildResult second = await project.BuildAsync();

        second.ShouldSucceed().ShouldWarn("BRDL0103").ShouldPrint(">>> nightly main Downloading");
        File.ReadAllBytes(landed).ShouldBe(secondSnapshot);
        server.RequestCount("/snapshots/nightly-main.tar.gz").ShouldBe(2);
    }
}
