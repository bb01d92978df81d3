using System.Collections.Concurrent;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// The transient files already fetched during this build: a transient package is downloaded
/// again at every build, but only once within one build (several projects of a solution may
/// declare it). The tasks keep one instance per build through MSBuild's registered task objects.
/// </summary>
internal sealed class TransientDownloads
{
    private readonly ConcurrentDictionary<string, bool> _done = new(StringComparer.Ordinal);
    private int _warned;

    public bool AlreadyDownloaded(string finalPath) => _done.ContainsKey(finalPath);

    public void MarkDownloaded(string finalPath) => _done[finalPath] = true;

    /// <summary>True the first time only: the "not reproducible" warning is given once per build.</summary>
    public bool ShouldWarn() => Interlocked.Exchange(ref _warned, 1) == 0;
}
