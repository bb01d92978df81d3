using System.Diagnostics;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Watches a running tool and its children, and cancels <see cref="Stalled"/> when, for a whole
/// window, they made no progress: together they read and wrote fewer than
/// <see cref="TransferLimits.ProgressBytes"/> bytes (network, pipes, files, output alike) and
/// used less than a hundredth of the window in CPU time (a stalled tool uses none; a busy one,
/// even on a crowded machine, far more). This stops what a tool's own settings
/// cannot: git over <c>git://</c>, hg, brz, cvs and go have no stall limit of their own, and a
/// prompt waiting on a terminal does nothing at all.
/// </summary>
/// <remarks>
/// It samples <c>/proc</c> (see <see cref="ProcessTreeActivity"/>) a few times per window, at most
/// once a second. Where <c>/proc</c> cannot be read it does nothing; the tools' own limits and the
/// overall limit still hold.
/// </remarks>
internal sealed class StallWatchdog : IDisposable
{
    private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stalled = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private StallWatchdog(int pid, TimeSpan window)
    {
        Window = window;
        _loop = ProcessTreeActivity.IsSupported ? Task.Run(() => WatchAsync(new ProcessTreeActivity(pid))) : Task.CompletedTask;
    }

    public TimeSpan Window { get; }

    /// <summary>Cancelled when the tree stalled.</summary>
    public CancellationToken Stalled => _stalled.Token;

    public bool HasStalled => _stalled.IsCancellationRequested;

    public static StallWatchdog Start(int pid, TimeSpan window) => new(pid, window);

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
        }

        _stopping.Dispose();
        _stalled.Dispose();
    }

    private async Task WatchAsync(ProcessTreeActivity tree)
    {
        TimeSpan interval = TimeSpan.FromTicks(Math.Clamp(Window.Ticks / 5, ShortestInterval.Ticks, LongestInterval.Ticks));
        TimeSpan enoughCpu = Window / 100;
        using var timer = new PeriodicTimer(interval);
        tree.Sample();
        long progressAt = Stopwatch.GetTimestamp();
        long bytes = 0;
        TimeSpan cpu = TimeSpan.Zero;
        while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
        {
            Activity activity = tree.Sample();
            bytes += activity.Bytes;
            cpu += activity.Cpu;
            if (bytes >= TransferLimits.ProgressBytes || cpu >= enoughCpu)
            {
                progressAt = Stopwatch.GetTimestamp();
                bytes = 0;
                cpu = TimeSpan.Zero;
            }
            else if (Stopwatch.GetElapsedTime(progressAt) >= Window)
            {
                await _stalled.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
