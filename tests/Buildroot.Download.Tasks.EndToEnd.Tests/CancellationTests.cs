using System.Diagnostics;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>Ctrl+C during a download: the build stops at once and leaves nothing half-written behind.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CancellationTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Ctrl_C_stops_a_slow_download_promptly_and_leaves_no_partial_file()
    {
        // 64 MiB at 40 KiB/s: without cancellation this download would take half an hour.
        using var server = new LoopbackHttpServer();
        server.Serve("/huge-1.0.tar.gz", new byte[64 * 1024 * 1024]);
        server.Misbehave("/huge-1.0.tar.gz", LoopbackHttpServer.Fault.Trickle);
        using var project = new EndToEndProject(package, output, "ctrlc");
        project.WriteProject($"""<BuildrootPackage Include="huge" Version="1.0" Site="{server.BaseUri}" />""");
        using RunningBuild build = project.StartBuild([], interruptible: true);
        Task first = await Task.WhenAny(server.BodyStarted, build.Exited, Task.Delay(TimeSpan.FromMinutes(2)));
        first.ShouldBe(server.BodyStarted, $"the download never started:{Environment.NewLine}{build.OutputSoFar}");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // some bytes are in the scratch file by now

        var sinceInterrupt = Stopwatch.StartNew();
        build.Interrupt();
        BuildResult result = await build.WaitAsync(TimeSpan.FromMinutes(1));
        sinceInterrupt.Stop();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        sinceInterrupt.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), result.ToString());
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }
}
