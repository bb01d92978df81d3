using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>The package lock <c>&lt;dl&gt;/&lt;pkg&gt;/.lock</c> is the one Buildroot's <c>flock</c> takes: a build waits for it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LockTests(PackedPackage package, ITestOutputHelper output)
{
    /// <summary>
    /// A read-only download folder, for real: the build runs in a mount namespace of its own where
    /// the folder is bind-mounted read-only (so even root gets EROFS), which vanishes with it.
    /// </summary>
    private const string ReadOnlyMountScript = "dir=$1; shift; mount --bind \"$dir\" \"$dir\" && mount -o remount,bind,ro \"$dir\" \"$dir\" && exec \"$@\"";

    [RequiresMountNamespaceTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_read_only_download_folder_is_a_coded_error_naming_the_lock_not_an_internal_error_or_a_wait(bool packageFolderExists)
    {
        using var server = new LoopbackHttpServer();
        using EndToEndProject project = ZlibProject(server, "rodl", out _);
        string lockFile = Path.Combine(project.DownloadFolder, "zlib", ".lock");
        Directory.CreateDirectory(packageFolderExists ? Path.GetDirectoryName(lockFile)! : project.DownloadFolder);
        project.CommandPrefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c", ReadOnlyMountScript, "sh", project.DownloadFolder];

        using RunningBuild build = project.StartBuild([]);
        BuildResult result = await build.WaitAsync(TimeSpan.FromSeconds(150));

        result.ShouldFailWith("BRDL0604").ShouldNotPrint("BRDL0099");
        result.LinesWith("BRDL0604").ShouldContain(line => line.Contains(lockFile) && line.Contains("Read-only file system"), result.ToString());
        server.Requests.ShouldBeEmpty();
    }

    [RequiresToolsTheory("flock", "cat")]
    [InlineData(false)]
    [InlineData(true)] // DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1: .NET takes no flock for FileShare.None; the package takes its own
    public async Task Build_waits_while_another_process_holds_the_package_lock_then_downloads(bool dotnetFileLockingOff)
    {
        using var server = new LoopbackHttpServer();
        using EndToEndProject project = ZlibProject(server, "lock", out byte[] tarball);
        if (dotnetFileLockingOff)
        {
            project.BuildEnvironment["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1";
        }

        string lockFile = Path.Combine(project.DownloadFolder, "zlib", ".lock");
        string landed = project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);

        // What a Buildroot build downloading zlib into the same folder does: flock(1) the package lock.
        // `cat` holds it until we close its input, so the test, not a timer, decides when it ends.
        using var holder = ChildProcess.Start(new System.Diagnostics.ProcessStartInfo("flock") { ArgumentList = { lockFile, "cat" } });
        await WaitUntilLockedAsync(lockFile, holder);

        var saysItWaits = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using RunningBuild build = project.StartBuild([], line =>
        {
            if (line.Contains(lockFile, StringComparison.Ordinal))
            {
                saysItWaits.TrySetResult(line);
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

        // Who holds it, as the kernel's lock table says (flock(1) leaves no record of its own).
        string waitingLine = await saysItWaits.Task;
        waitingLine.ShouldContain($"process {holder.Id} (flock {lockFile} cat)", Case.Sensitive, result.ToString());
        waitingLine.ShouldContain("running since", Case.Sensitive, result.ToString());
        downloadedUnderTheLock.ShouldBeFalse("the file appeared while another process held the package lock");
        finishedUnderTheLock.ShouldBeFalse("the build ended while another process held the package lock");
        result.ShouldSucceed();
        File.ReadAllBytes(landed).ShouldBe(tarball);
    }

    /// <summary>A project with one package, zlib, served by <paramref name="server"/> and listed in its hash file.</summary>
    private EndToEndProject ZlibProject(LoopbackHttpServer server, string name, out byte[] tarball)
    {
        tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        var project = new EndToEndProject(package, output, name);
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");
        return project;
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

/// <summary>
/// A theory that makes a mount namespace of its own (<c>unshare --mount</c>, which needs root or
/// CAP_SYS_ADMIN); skipped where that is refused, but never under CI, which runs as root.
/// </summary>
internal sealed class RequiresMountNamespaceTheoryAttribute : TheoryAttribute
{
    public RequiresMountNamespaceTheoryAttribute()
    {
        if (ToolAvailability.IsCi)
        {
            return;
        }

        if (ToolAvailability.Find("unshare") is null || ToolAvailability.Find("mount") is null)
        {
            Skip = "Needs unshare and mount (util-linux, mount).";
            return;
        }

        using var probe = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "true"]) { RedirectStandardError = true })!;
        probe.WaitForExit();
        if (probe.ExitCode != 0)
        {
            Skip = "Needs a mount namespace of its own (unshare --mount): run as root, as CI does.";
        }
    }
}
