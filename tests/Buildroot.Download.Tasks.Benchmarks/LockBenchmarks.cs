using BenchmarkDotNet.Attributes;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>
/// What a lock nobody else holds costs, taken and released at once, as every package of a build
/// with nothing to download takes one: the floor under the no-op download.
/// </summary>
[MemoryDiagnoser]
public class LockBenchmarks
{
    private const int Locks = 100;

    private TemporaryFolder _folder = null!;
    private string[] _lockFiles = [];

    [GlobalSetup]
    public void CreateFolders()
    {
        _folder = new TemporaryFolder("bench-lock");
        _lockFiles = Enumerable.Range(0, Locks).Select(i => _folder.Combine($"pkg{i:D3}", ".lock")).ToArray();
    }

    [Benchmark(Description = "100 package locks, uncontended, taken and released")]
    public async Task TakeAndRelease()
    {
        var log = new SilentLog();
        foreach (string lockFile in _lockFiles)
        {
            using (await CrossProcessLock.AcquireAsync(lockFile, "downloading", log, CancellationToken.None))
            {
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _folder.Dispose();
}
