using System.Diagnostics;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Infrastructure;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

/// <summary>
/// A build whose environment turns .NET's own file locking off
/// (<c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1</c>, or <c>System.IO.DisableFileLocking</c> in a
/// runtimeconfig) still holds its locks: two builds never vendor into one Go module cache at once,
/// a Buildroot <c>flock</c> holder is still waited for, and a running build's scratch folder is not
/// taken for a dead build's. Each build is a process of its own (the vendoring probe).
/// </summary>
[Collection(GoVendoringCollection.Name)]
public sealed class LocksWithoutDotnetFileLockingTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly GoFileProxy _proxy;
    private readonly VendoringScenario _scenario = new("go-nolock");
    private readonly string _temporaryFolder;

    public LocksWithoutDotnetFileLockingTests(GoProxyFixture fixture)
    {
        _proxy = fixture.Proxy;
        _temporaryFolder = _scenario.Root.Combine("tmp");
        Directory.CreateDirectory(_temporaryFolder);
    }

    private string LockFile => Path.Combine(_scenario.GoModuleCache, ".br-lock");

    /// <summary>Where the probe's scratch space is: the GoVendor task's default, under its TMPDIR.</summary>
    private string ScratchRoot => Path.Combine(_temporaryFolder, "buildroot-vendor-scratch");

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("go", "tar", "gzip", "flock")]
    public async Task A_build_with_dotnet_file_locking_off_holds_the_module_cache_lock_and_its_scratch_folder_against_other_builds()
    {
        string archive = Archive("foo");
        string holding = _scenario.Root.Combine("go-is-running");
        string release = _scenario.Root.Combine("go-may-go-on");
        string go = GoThatWaits(holding, release);
        using Process probe = StartProbe(archive, go);
        Task<string> output = probe.StandardOutput.ReadToEndAsync();
        await WaitUntilAsync(() => File.Exists(holding), probe, output, "the probe's go to start");

        // The probe runs go under the lock: Buildroot's flock(1) must not get it, nor must we.
        bool flockGotIt = await CrossProcessLockTests.FlockGetsItAtOnceAsync(LockFile);
        var log = new RecordingLog();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        Exception? ours = await Record.ExceptionAsync(async () =>
        {
            using IDisposable held = await CrossProcessLock.AcquireAsync(LockFile, "vendoring bar with go", log, patience.Token);
        });

        // A build starting now reclaims the scratch folders of dead builds: the probe's is not one.
        string[] probeScratch = Directory.GetDirectories(ScratchRoot, "brdl-*");
        ScratchSpace.Open(ScratchRoot, new RecordingLog()).Dispose();
        string[] probeScratchAfter = Directory.GetDirectories(ScratchRoot, "brdl-*");

        File.WriteAllText(release, string.Empty);
        ProbeResult result = await WaitForExitAsync(probe, output);

        flockGotIt.ShouldBeFalse($"flock(1) got {LockFile} while a build with .NET's file locking off vendored under it");
        ours.ShouldBeAssignableTo<OperationCanceledException>($"another build got {LockFile} while a build with .NET's file locking off vendored under it");
        log.Messages.ShouldContain(m => m.Contains($"process {probe.Id} "), log.Transcript);
        probeScratch.Length.ShouldBe(1);
        probeScratchAfter.ShouldBe(probeScratch, "a running build's scratch folder was removed as if its build were dead");
        result.ExitCode.ShouldBe(0, result.Output);
    }

    [RequiresToolsTheory("go", "tar", "gzip", "flock")]
    [InlineData(true)] // a Buildroot build: flock(1)
    [InlineData(false)] // another build of ours (this test process)
    public async Task A_build_with_dotnet_file_locking_off_waits_for_another_holder_of_the_module_cache_lock(bool buildrootHolds)
    {
        string archive = Archive("foo");
        string journal = _scenario.Root.Combine("go-runs.log");
        string go = VendorProbe.JournalingWrapper(_scenario.Root.Path, "go", journal);
        Directory.CreateDirectory(_scenario.GoModuleCache);
        CrossProcessLockTests.FlockHolder? flock = buildrootHolds ? CrossProcessLockTests.StartFlockHolder(LockFile, seconds: 600) : null;
        using IDisposable holder = flock ?? await CrossProcessLock.AcquireAsync(LockFile, "vendoring bar with go", new RecordingLog(), CancellationToken.None);
        int holderId = flock?.Id ?? Environment.ProcessId;
        using Process probe = StartProbe(archive, go);

        string? waiting = null;
        var said = new System.Text.StringBuilder();
        while (await probe.StandardOutput.ReadLineAsync() is { } line)
        {
            said.AppendLine(line);
            if (line.Contains("Waiting for the lock", StringComparison.Ordinal))
            {
                waiting = line;
                break;
            }
        }

        bool ranGoUnderTheirLock = File.Exists(journal);
        holder.Dispose(); // (and again at the end of the test, which does nothing)
        ProbeResult result = await WaitForExitAsync(probe, probe.StandardOutput.ReadToEndAsync());

        waiting.ShouldNotBeNull($"the build did not wait for the holder of {LockFile}:\n{said}{result.Output}");
        waiting.ShouldContain($"process {holderId} "); // the kernel's lock table names the holder
        ranGoUnderTheirLock.ShouldBeFalse("go ran while another process held the module cache lock");
        result.ExitCode.ShouldBe(0, said + result.Output);
        VendorProbe.CountExclusiveRuns(journal).ShouldBe(1);
    }

    [RequiresToolsFact("go", "tar", "gzip", "strace")]
    public async Task A_file_system_that_refuses_flock_is_a_coded_error_saying_what_to_do_not_vendoring_without_a_lock()
    {
        // What a network file system without lock support answers (NFS without its lock daemon):
        // flock(2) fails with ENOLCK. strace makes the kernel's answer that, for this process only.
        string archive = Archive("foo");
        string journal = _scenario.Root.Combine("go-runs.log");
        string go = VendorProbe.JournalingWrapper(_scenario.Root.Path, "go", journal);
        string output = _scenario.Root.Combine("out.tar.gz");
        using Process probe = StartProbe(archive, go, output, ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=flock", "-e", "inject=flock:error=ENOLCK"], lockingOff: false);

        ProbeResult result = await WaitForExitAsync(probe, probe.StandardOutput.ReadToEndAsync());

        result.ExitCode.ShouldBe(1, result.Output);
        string error = result.Output.Split('\n').Where(line => line.StartsWith("error ", StringComparison.Ordinal)).ShouldHaveSingleItem(result.Output);
        error.ShouldStartWith($"error {MessageCodes.LockNotSupported}:");
        error.ShouldContain(".lock"); // the lock it could not take (the scratch folder's, taken first)
        error.ShouldContain("local file system");
        File.Exists(journal).ShouldBeFalse("go ran without the lock");
        File.Exists(output).ShouldBeFalse();
    }

    private string Archive(string name) =>
        _scenario.Pack(_proxy.WriteModule(_scenario.Root.Combine("src"), $"{name}-1.0", ["example.com/brdl/greeting"]), $"{name}-1.0.tar.gz");

    /// <summary>The vendoring probe with .NET's file locking off (unless said otherwise), its temporary folder in the test's.</summary>
    private Process StartProbe(string archive, string go, string? output = null, string[]? prefix = null, bool lockingOff = true)
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = lockingOff ? "1" : null,
            ["TMPDIR"] = _temporaryFolder,
        };
        return VendorProbe.Start("go", archive, _scenario.DownloadDirectory, output ?? _scenario.Root.Combine("out.tar.gz"), go, _proxy.Url, environment, prefix);
    }

    /// <summary>A go that says it runs (creates <paramref name="running"/>), then waits for <paramref name="release"/> before it does.</summary>
    private string GoThatWaits(string running, string release)
    {
        string real = ToolAvailability.Find("go")!;
        string script = _scenario.Root.Combine("go-that-waits");
        File.WriteAllText(script, $"""
            #!/bin/sh
            touch '{running}'
            while [ ! -e '{release}' ]; do sleep 0.05; done
            exec '{real}' "$@"

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Process probe, Task<string> output, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (probe.HasExited || clock.Elapsed > Patience)
            {
                ProbeResult ended = await WaitForExitAsync(probe, output);
                throw new ShouldAssertException($"Gave up waiting for {what}: {ended.Output}");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<ProbeResult> WaitForExitAsync(Process probe, Task<string> output)
    {
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await probe.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            probe.Kill(entireProcessTree: true);
        }

        return new ProbeResult(probe.HasExited ? probe.ExitCode : -1, await output + await probe.StandardError.ReadToEndAsync());
    }
}
