namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// An exclusive lock on a file, shared with every process on the machine (and with
/// Buildroot's own <c>flock(1)</c> on the same file): on Linux a <see cref="FileStream"/>
/// opened with <see cref="FileShare.None"/> takes a non-blocking <c>flock(LOCK_EX)</c>, so we
/// retry until it is ours. The kernel drops it when the holder dies, so a crashed build never
/// leaves a stale lock behind. Two threads of one process exclude each other too, because
/// each open has its own file description.
/// </summary>
internal static class CrossProcessLock
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits until the lock at <paramref name="lockFilePath"/> is ours. <paramref name="purpose"/>
    /// says, in the one message printed when we have to wait, what the lock protects.
    /// Dispose the result to release it.
    /// </summary>
    public static async Task<IDisposable> AcquireAsync(
        string lockFilePath,
        string purpose,
        IBuildLog log,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockFilePath))!);
        TimeSpan delay = FirstRetryDelay;
        bool toldUser = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(lockFilePath) is { } held)
            {
                if (toldUser)
                {
                    log.Detail($"Got the lock {lockFilePath}.");
                }

                return held;
            }

            if (!toldUser)
            {
                log.Message($"Waiting for the lock {lockFilePath} ({purpose}): another build holds it.");
                toldUser = true;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
        }
    }

    private static FileStream? TryAcquire(string lockFilePath)
    {
        try
        {
            // ReadWrite so that the open never fails on a lock file someone created read-only for others.
            return new FileStream(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            // EWOULDBLOCK from flock surfaces as an IOException: someone else holds it.
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BrdlException(
                FailureScope.Build,
                MessageCodes.LockUnavailable,
                $"Cannot take the lock {lockFilePath}: {e.Message} The folder must be writable by this build (a read-only download folder cannot be locked).",
                e);
        }
    }
}
