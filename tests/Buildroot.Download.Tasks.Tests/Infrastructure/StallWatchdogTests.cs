using System.Diagnostics;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Infrastructure;

/// <summary>
/// A tool that makes no progress (no bytes read or written, no work, by it or its children)
/// for the stall limit is stopped with its whole tree; one that keeps working is left alone.
/// </summary>
public sealed class StallWatchdogTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    // Where the tool must not be stopped, a wider window: a crowded machine may starve a process for a second.
    private static readonly TimeSpan WorkingWindow = TimeSpan.FromSeconds(3);

    private readonly RecordingLog _log = new();

    [Fact]
    public async Task A_silent_tool_is_stopped_after_the_stall_limit_with_a_coded_error_naming_the_property()
    {
        var runner = new ProcessRunner(_log);
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<BrdlException>(() => runner.RunAsync(
            new ExternalCommand("sleep").WithArguments("60").WithStallLimit(Window),
            CancellationToken.None));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "a minute of silence is not waited out");
        error.Code.ShouldBe(MessageCodes.ToolStalled);
        error.Scope.ShouldBe(FailureScope.Attempt);
        error.Message.ShouldContain("no progress for 1 s");
        error.Message.ShouldContain(TransferLimits.StallProperty);
    }

    [Fact]
    public async Task The_stopped_tool_takes_its_children_with_it_and_its_last_words_are_quoted()
    {
        using var folder = new TemporaryFolder("watchdog");
        string marker = folder.Combine("child-survived");
        var runner = new ProcessRunner(_log);

        var error = await Should.ThrowAsync<BrdlException>(() => runner.RunAsync(
            new ExternalCommand("sh")
                .WithArguments("-c", "echo 'Password for the server:' >&2; (sleep 4; touch \"$1\") & wait", "sh", marker)
                .WithStallLimit(Window),
            CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolStalled);
        error.Message.ShouldContain("Password for the server:");
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        File.Exists(marker).ShouldBeFalse("the silent child ran on after its tool was stopped");
    }

    [RequiresToolsFact("python3")]
    public async Task A_tool_that_trickles_a_byte_at_a_time_is_stalled()
    {
        var runner = new ProcessRunner(_log);

        var error = await Should.ThrowAsync<BrdlException>(() => runner.RunAsync(
            Python("import sys, time\nwhile True:\n    sys.stdout.write('x'); sys.stdout.flush(); time.sleep(0.2)").WithStallLimit(Window),
            CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolStalled);
    }

    [RequiresToolsFact("python3")]
    public async Task A_tool_whose_child_keeps_writing_runs_past_the_stall_limit()
    {
        using var folder = new TemporaryFolder("watchdog");
        string output = folder.Combine("received.bin");
        var runner = new ProcessRunner(_log);
        var clock = Stopwatch.StartNew();

        // The parent only waits; its child writes 8 KiB to a file every 200 ms for eight seconds.
        string child = "import sys, time\nwith open(sys.argv[1], 'wb') as f:\n    for _ in range(40):\n        f.write(b'\\0' * 8192); f.flush(); time.sleep(0.2)";
        CommandResult result = await runner.RunAsync(
            new ExternalCommand("sh").WithArguments("-c", "python3 -c \"$1\" \"$2\"; echo done", "sh", child, output).WithStallLimit(WorkingWindow),
            CancellationToken.None);

        result.StandardOutput.ShouldBe("done\n");
        clock.Elapsed.ShouldBeGreaterThan(WorkingWindow * 2);
        new FileInfo(output).Length.ShouldBe(40 * 8192);
    }

    [RequiresToolsFact("python3")]
    public async Task A_tool_that_computes_without_io_is_working_not_stalled()
    {
        var runner = new ProcessRunner(_log);

        CommandResult result = await runner.RunAsync(
            Python("import time\nend = time.monotonic() + 7\nn = 0\nwhile time.monotonic() < end:\n    n += 1\nprint('counted')").WithStallLimit(WorkingWindow),
            CancellationToken.None);

        result.StandardOutput.ShouldBe("counted\n");
    }

    [RequiresToolsFact("python3")]
    public async Task The_io_of_a_child_of_the_tool_is_measured_through_proc()
    {
        // The watchdog is only as good as what it can see: on the Linux machines this package
        // supports, /proc must give the io counters of a grandchild we did not start ourselves.
        ProcessTreeActivity.IsSupported.ShouldBeTrue();
        string child = "import time\nopen('/dev/null', 'wb').write(b'\\0' * 300000)\ntime.sleep(5)";
        using var tool = Process.Start(new ProcessStartInfo("sh", ["-c", "python3 -c \"$1\"; :", "sh", child]))!;
        try
        {
            var tree = new ProcessTreeActivity(tool.Id);
            long seen = 0;
            for (var clock = Stopwatch.StartNew(); seen < 300000 && clock.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(200))
            {
                seen += tree.Sample().Bytes;
            }

            seen.ShouldBeGreaterThanOrEqualTo(300000L, "the child's write of 300000 bytes");
        }
        finally
        {
            tool.Kill(entireProcessTree: true);
        }
    }

    private static ExternalCommand Python(string program) => new ExternalCommand("python3").WithArguments("-c", program);
}
