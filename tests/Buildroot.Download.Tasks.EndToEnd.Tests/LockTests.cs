using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>The package lock <c>&lt;dl&gt;/&lt;pkg&gt;/.lock</c> is the one Buildroot's <c>flock</c> takes: a build waits for it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LockTests(PackedPackage package, ITestOutputHelper output)
{
    [RequiresToolsFact("flock", "cat")]
    public async Task Build_waits_while_another_process_holds_the_package_lock_then_downloads()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "lock");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");
        string lockFile = Path.Combine(project.DownloadFolder, "zlib", ".lock");
        string landed = project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);

        // What a Buildroot build downloading zlib into the same folder does: flock(1) the package lock.
        // `cat` holds it until we close its input, so the test, not a timer, decides when it ends.
        using var holder = ChildProcess.Start(new System.Diagnostics.ProcessStartInfo("flock") { ArgumentList = { lockFile, "cat" } });
        await WaitUntilLockedAsync(lockFile, holder);

        var saysItWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using RunningBuild build = project.StartBuild([], line =>
        {
            if (line.Contains(lockFile, StringComparison.Ordinal))
            {
                saysItWaits.TrySetResult();
            }
        });
        await Task.WhenAny(saysItWaits.Task, build.Exited, Task.Delay(TimeSpan.FromSeconds(90)));
        bool saidItWaits = saysItWaits.Task.IsCompleted;
        await Task.Delay(TimeSpan.FromSeconds(1));
        bool downloadedUnderTheLock = File.Exists(landed);
        bool finishedUnderTheLock = build.HasExited;
        holder.CloseInput();
        await holder.WaitForExitAsync(TimeSpan.FromSeconds(10));

        BuildResult result = await build.WaitAsync(TimeSpan.FromMinutes(2));

        saidItWaits.ShouldBeTrue($"the build should say that it waits for {lockFile}:{Environment.NewLine}{result}");
        downloadedUnderTheLock.ShouldBeFalse("the file appeared while another process held the package lock");
        finishedUnderTheLock.ShouldBeFalse("the build ended while another process held the package lock");
        result.ShouldSucceed();
        File.ReadAllBytes(landed).ShouldBe(tarball);
    }

    // flock(1) has the lock once a non-blocking exclusive lock of our own is refused
    // (.NET takes flock(LOCK_EX | LOCK_NB) for FileShare.None on Unix).
    private static async Task WaitUntilLockedAsync(string lockFile, ChildProcess holder)
    {
        for (int attempt = 0; attempt < 500; attempt++)
        {
            try
            {
                using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
                {
                }
            }
            catch (IOException)
            {
                return;
            }

            holder.HasExited.ShouldBeFalse($"flock ended early: {holder.Output}");
            await Task.Delay(20);
        }

        throw new TimeoutException($"flock did not take {lockFile} within 10 s: {holder.Output}");
    }
}
