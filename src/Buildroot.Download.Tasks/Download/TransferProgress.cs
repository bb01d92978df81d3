using System.Diagnostics;
using Buildroot.Download.Tasks.Infrastructure;
using static Buildroot.Download.Tasks.Infrastructure.TransferFigures;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// What the user reads about one attempt at one site, at the default verbosity: a line when the
/// file starts to come (its size when the server says it, where from, what fetches it), a line
/// every <see cref="Interval"/> while it lasts (bytes, rate, time left; for a tool, that it still
/// runs), and a line when it is in (size, time, rate, site, whether its hashes were verified).
/// A transfer shorter than the interval prints its first and last lines only.
/// </summary>
/// <remarks>
/// Messages are MSBuild's high-importance ones: the console logger prints them as they come.
/// The terminal logger of .NET 9 and 10 prints no task message while a project builds (it shows
/// the running target's name instead, hence the public target names); see docs/behaviour.md.
/// </remarks>
internal sealed class TransferProgress : ITransferProgress, IDisposable
{
    /// <summary>How often a lasting transfer says where it is: calm enough for a CI log.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>The longest time left a progress line states.</summary>
    private static readonly TimeSpan LongestEstimate = TimeSpan.FromDays(365);

    private readonly IBuildLog _log;
    private readonly string _package;
    private readonly string _fileName;
    private readonly string _from;
    private readonly bool _quiet;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly Timer _timer;
    private long _received;
    private long? _total;
    private TimeSpan? _receivingSince;
    private string? _tool;
    private bool _announced;
    private bool _over;

    /// <param name="from">The site or repository, with any secret hidden.</param>
    /// <param name="runBy">What fetches it: "built-in http client", "wget", "git"…</param>
    /// <param name="quiet"><c>BuildrootDownloadQuiet</c>: only the last line.</param>
    public TransferProgress(IBuildLog log, string package, string fileName, string from, string runBy, bool quiet, TimeSpan? interval = null)
    {
        _log = log;
        _package = package;
        _fileName = fileName;
        _from = from;
        RunBy = runBy;
        _quiet = quiet;
        TimeSpan every = interval ?? Interval;
        _timer = new Timer(_ => Tick(), null, every, every);
    }

    /// <summary>What fetches the file, as messages name it.</summary>
    public string RunBy { get; }

    public void Receiving(long? totalBytes)
    {
        lock (_gate)
        {
            Interlocked.Exchange(ref _received, 0);
            _total = totalBytes;
            _receivingSince = _clock.Elapsed;
            Announce(totalBytes is { } size ? $", {Size(size)}," : string.Empty);
        }
    }

    public void Received(long bytes) => Interlocked.Add(ref _received, bytes);

    public void ToolStarted(string what)
    {
        lock (_gate)
        {
            _tool = what;
            Announce(string.Empty);
        }
    }

    /// <summary>The last line: the file passed its checks and is about to be installed.</summary>
    /// <param name="size">Its size in bytes.</param>
    /// <param name="checkedHow">What its hash check found ("sha256 verified", "not checked: no hash file").</param>
    public void Completed(long size, string checkedHow)
    {
        // Under the lock, so that no progress line of a late tick comes after it.
        lock (_gate)
        {
            _over = true;
            TimeSpan took = _clock.Elapsed;
            _log.Message($"{_package}: {_fileName}: {Size(size)} in {Duration(took)} ({Rate(size, took)}) from {_from} ({RunBy}), {checkedHow}");
        }

        _timer.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _over = true;
        }

        _timer.Dispose();
    }

    /// <summary>The line a lasting transfer prints now, or null when there is nothing to say.</summary>
    internal string? ProgressLine(TimeSpan now)
    {
        lock (_gate)
        {
            if (!_announced)
            {
                return $"{_package}: downloading {_fileName} from {_from} ({RunBy}): no answer yet after {Duration(now)}";
            }

            if (_receivingSince is { } since)
            {
                long received = Interlocked.Read(ref _received);
                TimeSpan receiving = now - since;
                if (received == 0)
                {
                    return $"{_package}: {_fileName}: no data yet after {Duration(receiving)}";
                }

                string of = _total is { } total and > 0 ? $" of {Size(total)} ({Math.Min(100, received * 100 / total)}%)" : string.Empty;
                return $"{_package}: {_fileName}: {Size(received)}{of}, {Rate(received, receiving)}{TimeLeft(received, receiving)}";
            }

            return _tool is { } tool ? $"{_package}: {_fileName}: {tool} still running after {Duration(now)}" : null;
        }
    }

    private string TimeLeft(long received, TimeSpan receiving)
    {
        if (_total is not { } total || total <= received || receiving <= TimeSpan.Zero)
        {
            return string.Empty;
        }

        // A server may announce any size and then trickle: past a year the estimate means nothing,
        // and far past it TimeSpan overflows, in a timer callback, where it would end the MSBuild node.
        double secondsLeft = (total - received) / (received / receiving.TotalSeconds);
        return secondsLeft > LongestEstimate.TotalSeconds
            ? string.Empty
            : $", about {Duration(TimeSpan.FromSeconds(secondsLeft))} left";
    }

    private void Announce(string size)
    {
        if (_announced)
        {
            return;
        }

        _announced = true;
        if (!_quiet)
        {
            _log.Message($"{_package}: downloading {_fileName}{size} from {_from} ({RunBy})");
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_over || _quiet || ProgressLine(_clock.Elapsed) is not { } line)
            {
                return;
            }

            _announced = true;
            _log.Message(line);
        }
    }
}
