using System.Diagnostics;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Infrastructure;

public sealed class CrossProcessLockTests
{
    [Fact]
    public async Task A_lock_held_by_util_linux_flock_makes_us_wait_and_say_so()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".lock");
        using var holder = StartFlockHolder(lockFile, seconds: 1.5);
        var log = new RecordingLog();
        var clock = Stopwatch.StartNew();

        using (await CrossProcessLock.AcquireAsync(lockFile, "downloading zlib", log, CancellationToken.None))
        {
            clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(0.8));
        }

        log.Messages.ShouldContain(m => m.Contains(lockFile) && m.Contains("downloading zlib"));
    }

    [Fact]
    public async Task Two_holders_in_one_process_never_overlap()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".br-lock");
        int inside = 0;
        int overlaps = 0;

        async Task Worker()
        {
            for (int i = 0; i < 20; i++)
            {
                using (await CrossProcessLock.AcquireAsync(lockFile, "test", new RecordingLog(), CancellationToken.None))
                {
                    if (Interlocked.Increment(ref inside) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    await Task.Delay(2);
                    Interlocked.Decrement(ref inside);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)));

        overlaps.ShouldBe(0);
    }

    [Fact]
    public async Task Our_lock_makes_util_linux_flock_wait()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".lock");

        using (await CrossProcessLock.AcquireAsync(lockFile, "test", new RecordingLog(), CancellationToken.None))
        {
            (await FlockGetsItAtOnceAsync(lockFile)).ShouldBeFalse("flock got the lock while we held it");
        }

        (await FlockGetsItAtOnceAsync(lockFile)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_lock_is_released_when_its_holder_dies()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".br-lock");
        FlockHolder holder = StartFlockHolder(lockFile, seconds: 600);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task<IDisposable> waiting = CrossProcessLock.AcquireAsync(lockFile, "vendoring", new RecordingLog(), cancellation.Token);
        await Task.Delay(200);
        waiting.IsCompleted.ShouldBeFalse("the holder is alive");

        holder.Dispose(); // SIGKILL: the holder gets no chance to unlock

        using IDisposable held = await waiting; // well before the holder's 600 s, or the token cancels it
    }

    [Fact]
    public async Task A_lock_file_that_cannot_be_opened_is_a_coded_error_not_a_wait()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".lock");
        Directory.CreateDirectory(lockFile); // what a read-only folder does to us, but testable as root

        var error = await Should.ThrowAsync<BrdlException>(() =>
            CrossProcessLock.AcquireAsync(lockFile, "test", new RecordingLog(), CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.LockUnavailable);
        error.Message.ShouldContain(lockFile);
    }

    [Fact]
    public async Task A_lock_whose_folder_cannot_be_made_is_a_coded_error_naming_the_file_and_the_cause()
    {
        using var folder = new TemporaryFolder("lock");
        string notAFolder = folder.WriteFile("dl", "a file where the download folder should be");
        string lockFile = Path.Combine(notAFolder, "zlib", ".lock");

        var error = await Should.ThrowAsync<BrdlException>(() =>
            CrossProcessLock.AcquireAsync(lockFile, "downloading zlib", new RecordingLog(), CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.LockUnavailable);
        error.Message.ShouldContain(lockFile);
        error.Message.ShouldContain("downloading zlib");
        error.Message.ShouldContain(notAFolder); // the cause: the part of the path that is not a folder
    }

    [Fact]
    public async Task An_error_other_than_another_holder_is_a_coded_error_at_once_not_an_endless_wait()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".lock");
        // A lock file that is a dangling link into a folder that is gone: open(2) fails with ENOENT,
        // an I/O error that no waiting will cure.
        File.CreateSymbolicLink(lockFile, folder.Combine("gone", "sub", ".lock"));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var error = await Should.ThrowAsync<BrdlException>(() =>
            CrossProcessLock.AcquireAsync(lockFile, "vendoring", new RecordingLog(), patience.Token));

        error.Code.ShouldBe(MessageCodes.LockUnavailable);
        error.Message.ShouldContain(lockFile);
    }

    [RequiresToolsFact("flock")]
    public async Task A_wait_names_the_flock_process_that_holds_the_lock_and_says_it_again_at_an_interval()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".lock");
        using var holder = StartFlockHolder(lockFile, seconds: 600);
        int holderId = holder.Id;
        var log = new RecordingLog();
        using var cancellation = new CancellationTokenSource();

        Task<IDisposable> waiting = CrossProcessLock.AcquireAsync(lockFile, "downloading zlib", log, TimeSpan.FromMilliseconds(300), cancellation.Token);
        var clock = Stopwatch.StartNew();
        while (log.Messages.Count < 3 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        holder.Dispose();
        using (await waiting)
        {
        }

        log.Messages.Count.ShouldBeGreaterThanOrEqualTo(3, log.Transcript);
        foreach (string message in log.Messages.Take(3))
        {
            message.ShouldContain(lockFile);
            message.ShouldContain($"process {holderId} ");
            message.ShouldContain($"flock {lockFile} sh -c"); // its command line, from /proc
            message.ShouldContain("running since");
        }

        log.Messages[0].ShouldStartWith("Waiting for the lock");
        log.Messages[1].ShouldStartWith("Still waiting for the lock");
    }

    [RequiresToolsFact("flock")]
    public async Task A_wait_never_prints_a_password_from_the_holders_command_line()
    {
        // A Buildroot download under flock has the package's sites on its command line.
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".lock");
        using var holder = StartFlockHolder(lockFile, 600, "-u", "https://ci-bot:s3cret-token@git.example.org/zlib.git");
        var log = new RecordingLog();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));

        await Should.ThrowAsync<OperationCanceledException>(() =>
            CrossProcessLock.AcquireAsync(lockFile, "downloading zlib", log, cancellation.Token));

        string message = log.Messages.ShouldHaveSingleItem();
        message.ShouldContain($"process {holder.Id} ");
        message.ShouldContain("git.example.org/zlib.git");
        message.ShouldNotContain("s3cret-token");
    }

    [Fact]
    public async Task A_wait_for_a_lock_this_package_holds_names_the_holder_what_it_does_and_since_when()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".br-lock");
        var log = new RecordingLog();
        DateTimeOffset before = DateTimeOffset.UtcNow;

        using (await CrossProcessLock.AcquireAsync(lockFile, "vendoring foo with cargo", new RecordingLog(), CancellationToken.None))
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // a holder records itself once it has held the lock for a second
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));
            await Should.ThrowAsync<OperationCanceledException>(() =>
                CrossProcessLock.AcquireAsync(lockFile, "vendoring bar with cargo", log, cancellation.Token));
        }

        string message = log.Messages.ShouldHaveSingleItem();
        message.ShouldContain($"process {Environment.ProcessId} ");
        message.ShouldContain("vendoring foo with cargo");
        message.ShouldContain($"since {before:yyyy-MM-dd}");
    }

    [Fact]
    public async Task A_lock_taken_and_released_at_once_writes_nothing_into_the_lock_file()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".lock");

        for (int i = 0; i < 3; i++)
        {
            using (await CrossProcessLock.AcquireAsync(lockFile, "downloading zlib", new RecordingLog(), CancellationToken.None))
            {
            }
        }

        new FileInfo(lockFile).Length.ShouldBe(0);
    }

    [RequiresToolsFact("flock", "chattr")]
    public async Task A_lock_file_we_may_only_read_locks_all_the_same_as_buildroots_flock_does()
    {
        // A download folder shared by a group, whose lock files another member made under umask 022.
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.WriteFile(".lock", string.Empty);
        using var readOnly = new ReadOnlyForUs(lockFile);

        using (await CrossProcessLock.AcquireAsync(lockFile, "downloading zlib", new RecordingLog(), CancellationToken.None))
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the moment a holder records itself in a file it may write
            (await FlockGetsItAtOnceAsync(lockFile)).ShouldBeFalse("flock got the lock while we held it");
        }

        (await FlockGetsItAtOnceAsync(lockFile)).ShouldBeTrue();
    }

    [Fact]
    public async Task Waiting_for_a_lock_can_be_cancelled()
    {
        using var folder = new TemporaryFolder("lock");
        string lockFile = folder.Combine(".lock");
        using var holder = StartFlockHolder(lockFile, seconds: 10);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));

        await Should.ThrowAsync<OperationCanceledException>(() =>
            CrossProcessLock.AcquireAsync(lockFile, "test", new RecordingLog(), cancellation.Token));
    }

    /// <summary>Whether util-linux <c>flock --nonblock</c> gets the lock at once.</summary>
    internal static async Task<bool> FlockGetsItAtOnceAsync(string lockFile)
    {
        using var probe = Process.Start(new ProcessStartInfo("flock", ["--nonblock", lockFile, "true"]))!;
        await probe.WaitForExitAsync();
        return probe.ExitCode == 0;
    }

    /// <summary>Starts <c>flock FILE sleep N</c> and returns once it holds the lock.</summary>
    internal static FlockHolder StartFlockHolder(string lockFile, double seconds, params string[] moreArguments)
    {
        string ready = lockFile + ".held";
        var process = Process.Start(new ProcessStartInfo(
            "flock",
            [lockFile, "sh", "-c", "touch \"$1\"; sleep \"$2\"", "sh", ready, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. moreArguments]))!;
        var clock = Stopwatch.StartNew();
        while (!File.Exists(ready) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }

        return new FlockHolder(process);
    }

    /// <summary>
    /// Makes a file one this test process may read but not write: mode 0444, and, for root, which
    /// ignores modes, the immutable attribute (chattr +i), undone on dispose.
    /// </summary>
    private sealed class ReadOnlyForUs : IDisposable
    {
        private readonly string _path;
        private readonly bool _immutable;

        public ReadOnlyForUs(string path)
        {
            _path = path;
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            _immutable = Environment.UserName == "root";
            if (_immutable)
            {
                Chattr("+i");
            }
        }

        public void Dispose()
        {
            if (_immutable)
            {
                Chattr("-i");
            }

            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        private void Chattr(string change)
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr", [change, _path]))!;
            chattr.WaitForExit();
            chattr.ExitCode.ShouldBe(0, $"chattr {change} {_path}");
        }
    }

    internal sealed class FlockHolder(Process process) : IDisposable
    {
        public int Id => process.Id;

        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }
}
