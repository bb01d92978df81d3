using System.Diagnostics;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// How long the tries of one URL may go on without progress, their waits included: every try
/// that stalls, every back-off and every <c>Retry-After</c> spends it, and enough bytes received
/// (<see cref="TransferLimits.ProgressBytes"/>) refill it, since a server that sends is alive.
/// </summary>
internal sealed class HttpRetryBudget
{
    private long _progressAt = Stopwatch.GetTimestamp();

    public HttpRetryBudget(TimeSpan total)
    {
        Total = total;
    }

    public TimeSpan Total { get; }

    public TimeSpan Remaining => Total - Stopwatch.GetElapsedTime(Interlocked.Read(ref _progressAt));

    public void Progressed() => Interlocked.Exchange(ref _progressAt, Stopwatch.GetTimestamp());
}

/// <summary>
/// The stall limit of one try: a token that is cancelled when fewer than
/// <see cref="TransferLimits.ProgressBytes"/> bytes arrived within the limit (or within what is
/// left of the URL's budget, if less). Every such amount of bytes re-arms it and refills the budget.
/// </summary>
internal sealed class HttpStallTimer : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly TimeSpan _limit;
    private readonly HttpRetryBudget _budget;
    private TimeSpan _window;

    public HttpStallTimer(TimeSpan limit, HttpRetryBudget budget, CancellationToken cancellationToken)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _limit = limit;
        _budget = budget;
        Arm();
    }

    public CancellationToken Token => _source.Token;

    public bool HasFired => _source.IsCancellationRequested;

    public long BytesSinceProgress { get; private set; }

    public void Received(int bytes)
    {
        BytesSinceProgress += bytes;
        if (BytesSinceProgress >= TransferLimits.ProgressBytes)
        {
            BytesSinceProgress = 0;
            _budget.Progressed();
            Arm();
        }
    }

    /// <summary>"30 s (BuildrootDownloadStallTimeout)", or the part of it this try was left.</summary>
    public string Describe(TransferLimits limits) =>
        _window < _limit
            ? $"{TransferLimits.Format(_window)} (what was left of the {TransferLimits.Format(_budget.Total)} a site may go without progress, {TransferLimits.StallProperty} per try)"
            : limits.DescribeStall();

    public void Dispose() => _source.Dispose();

    private void Arm()
    {
        _window = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min(_limit.Ticks, _budget.Remaining.Ticks)));
        _source.CancelAfter(_window);
    }
}
