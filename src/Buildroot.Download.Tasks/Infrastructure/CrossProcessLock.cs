using System.Diagnostics;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// An exclusive lock on a file, shared with every process on the machine (and with
/// Buildroot's own <c>flock(1)</c> on the same file): a non-blocking <c>flock(LOCK_EX)</c>
/// (<see cref="FileLock"/>, whatever .NET's own file locking is set to), retried until it is
/// ours. The kernel drops it when the holder dies, so a crashed build never
/// leaves a stale lock behind. Two threads of one process exclude each other too, because
/// each open has its own file description.
/// </summary>
/// <remarks>
/// Only "another process holds it" is worth waiting for; any other failure to open or lock the
/// file (a read-only or missing folder, an I/O error, a permission) is a
/// <see cref="MessageCodes.LockUnavailable"/> error at once, and a file system that cannot lock
/// at all is <see cref="MessageCodes.LockNotSupported"/>. While it waits, the build says who
/// holds the lock (<see cref="LockHolder"/>) and says it again every <see cref="ReminderInterval"/>.
/// </remarks>
internal static class CrossProcessLock
{
    /// <summary>How often a build that still waits says so again: often enough to show it is alive, rarely enough not to flood the log.</summary>
    public static readonly TimeSpan ReminderInterval = TimeSpan.FromSeconds(30);

    /// <summary>How long a lock is held before its holder writes its record (see <see cref="HeldLock"/>).</summary>
    private static readonly TimeSpan RecordDelay = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits until the lock at <paramref name="lockFilePath"/> is ours. <paramref name="purpose"/>
    /// says what the lock protects ("downloading zlib"): in the messages printed while we wait,
    /// and in the record other builds read while we hold it. Dispose the result to release it.
    /// </summary>
    public static Task<IDisposable> AcquireAsync(
        string lockFilePath,
        string purpose,
        IBuildLog log,
        CancellationToken cancellationToken) =>
        AcquireAsync(lockFilePath, purpose, log, ReminderInterval, cancellationToken);

    /// <summary>The same, saying again who holds the lock every <paramref name="reminderInterval"/> (a test seam).</summary>
    internal static async Task<IDisposable> AcquireAsync(
        string lockFilePath,
        string purpose,
        IBuildLog log,
        TimeSpan reminderInterval,
        CancellationToken cancellationToken)
    {
        string path = Path.GetFullPath(lockFilePath);
        CreateFolderOf(path, purpose);
        TimeSpan delay = FirstRetryDelay;
        Stopwatch? waited = null;
        TimeSpan nextReminder = reminderInterval;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path, purpose) is { } held)
            {
                if (waited is not null)
                {
                    log.Detail($"Got the lock {path} after {LockHolder.Duration(waited.Elapsed)}.");
                }

                return new HeldLock(held, purpose);
            }

            if (waited is null)
            {
                log.Message($"Waiting for the lock {path} ({purpose}): {LockHolder.Describe(path)}.");
                waited = Stopwatch.StartNew();
            }
            else if (waited.Elapsed >= nextReminder)
            {
                log.Message($"Still waiting for the lock {path} ({purpose}) after {LockHolder.Duration(waited.Elapsed)}: {LockHolder.Describe(path)}.");
                nextReminder += reminderInterval;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
        }
    }

    private static void CreateFolderOf(string lockFilePath, string purpose)
    {
        string folder = Path.GetDirectoryName(lockFilePath)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(lockFilePath, purpose, $"its folder {folder} cannot be created ({e.Message})", e);
        }
    }

    private static FileStream? TryAcquire(string lockFilePath, string purpose)
    {
        try
        {
            try
            {
                // ReadWrite, for our record.
                return FileLock.TryOpenExclusive(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite);
            }
            catch (UnauthorizedAccessException) when (File.Exists(lockFilePath))
            {
                // A lock file we may not write: another user made it (0644 under umask 022, in a
                // download folder a group shares). flock(2) needs no write access, and Buildroot's
                // flock(1) opens it read-only: so do we, and hold the lock without a record.
                return FileLock.TryOpenExclusive(lockFilePath, FileMode.Open, FileAccess.Read);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(lockFilePath, purpose, e.Message, e);
        }
    }

    private static BrdlException Unavailable(string lockFilePath, string purpose, string cause, Exception inner) =>
        new(
            FailureScope.Build,
            MessageCodes.LockUnavailable,
            $"Cannot take the lock {lockFilePath} ({purpose}): {cause}. The folder must exist (or be creatable) and be writable by this build: a read-only download folder, cargo home or Go module cache cannot be locked.",
            inner);

    /// <summary>
    /// A held lock. Our record goes into the lock file only once the lock has been held for
    /// <see cref="RecordDelay"/>: a build with nothing to download takes and releases its locks
    /// far sooner, and writes nothing. Releasing it clears the record first, so that nobody reads
    /// a stale one.
    /// </summary>
    private sealed class HeldLock : IDisposable
    {
        private readonly FileStream _stream;
        private readonly Timer _recorder;
        private readonly object _gate = new();
        private bool _recorded;
        private bool _released;

        public HeldLock(FileStream stream, string purpose)
        {
            _stream = stream;
            DateTimeOffset since = DateTimeOffset.UtcNow;
            _recorder = new Timer(_ => Record(purpose, since), null, RecordDelay, Timeout.InfiniteTimeSpan);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _released = true;
                _recorder.Dispose();
                if (_recorded)
                {
                    LockRecord.Clear(_stream);
                }

                _stream.Dispose();
            }
        }

        private void Record(string purpose, DateTimeOffset since)
        {
            lock (_gate)
            {
                // A lock file another user made is held through a read-only open: no record then.
                if (!_released && _stream.CanWrite)
                {
                    LockRecord.Write(_stream, purpose, since);
                    _recorded = true;
                }
            }
        }
    }
}
