using BenchmarkDotNet.Attributes;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>
/// The git backend on a repository of 5000 files (about 10 MiB) with two versions, served over
/// file://: the first download of a package (an empty cache: clone, checkout, archive), and
/// the next version from the cache the first one left (fetch only the new commit's objects,
/// check out the changed files, archive).
/// </summary>
public class GitDownloadBenchmarks
{
    private const int FileCount = 5000;

    private TemporaryFolder _folder = null!;
    private ProcessRunner _runner = null!;
    private string? _previousGlobalConfig;
    private string _url = string.Empty;
    private string _v1 = string.Empty;
    private string _v2 = string.Empty;

    // A cache that has downloaded v1 and never seen v2: each warm iteration starts from a copy.
    private string _cacheAtV1 = string.Empty;

    [GlobalSetup]
    public void CreateRepository()
    {
        _folder = new TemporaryFolder("bench-git");
        _runner = new ProcessRunner(new SilentLog());
        _previousGlobalConfig = Environment.GetEnvironmentVariable("GIT_CONFIG_GLOBAL");

        // The user's own git config stays out of the figures (and out of reach).
        Environment.SetEnvironmentVariable(
            "GIT_CONFIG_GLOBAL",
            _folder.WriteFile("gitconfig", "[user]\n\tname = Bench\n\temail = bench@brdl.invalid\n[safe]\n\tdirectory = *\n"));

        string work = _folder.Combine("work");
        string bare = _folder.Combine("remote.git");
        _url = new Uri(bare).AbsoluteUri;
        Git(_folder.Path, "init", "-q", "--bare", bare);
        Git(_folder.Path, "init", "-q", work);

        var random = new Random(11);
        for (int i = 0; i < FileCount; i++)
        {
            WriteSourceFile(work, i, random);
        }

        _v1 = Commit(work, "v1");
        Git(work, "push", "-q", bare, "HEAD:refs/heads/master");
        Download(_folder.Combine("template"), _v1);
        _cacheAtV1 = _folder.Combine("template");

        // v2: a tenth of the files changed, a hundred new ones.
        for (int i = 0; i < FileCount; i += 10)
        {
            File.AppendAllText(SourcePath(work, i), "/* changed in v2 */\n");
        }

        for (int i = FileCount; i < FileCount + 100; i++)
        {
            WriteSourceFile(work, i, random);
        }

        _v2 = Commit(work, "v2");
        Git(work, "push", "-q", bare, "HEAD:refs/heads/master");
        Console.WriteLine($"// Repository: {FileCount} files in v1, {FileCount + 100} in v2, at {bare}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Environment.SetEnvironmentVariable("GIT_CONFIG_GLOBAL", _previousGlobalConfig);
        _folder.Dispose();
    }

    [IterationSetup(Target = nameof(ColdCache))]
    public void EmptyTheColdCache() => DeleteIfPresent(_folder.Combine("cold"));

    [IterationSetup(Target = nameof(WarmCacheNextVersion))]
    public void RestoreTheCacheAtV1()
    {
        string warm = _folder.Combine("warm");
        DeleteIfPresent(warm);
        CopyFolder(_cacheAtV1, warm);

        // A copy has new inodes and times: refresh the index, or the measured checkout would
        // re-read all 5000 files, which a cache left in place never does.
        string cache = Path.Combine(warm, "git");
        Git(cache, "--git-dir", Path.Combine(cache, ".git"), "--work-tree", cache, "update-index", "-q", "--refresh");
    }

    [Benchmark(Baseline = true, Description = "5000 files, first download (empty cache)")]
    public Task ColdCache() => DownloadAsync(_folder.Combine("cold"), _v1);

    [Benchmark(Description = "next version from the cache (10% changed, 100 new files)")]
    public Task WarmCacheNextVersion() => DownloadAsync(_folder.Combine("warm"), _v2);

    private void Download(string packageFolder, string changeset) => DownloadAsync(packageFolder, changeset).GetAwaiter().GetResult();

    private async Task DownloadAsync(string packageFolder, string changeset)
    {
        var log = new SilentLog();
        string scratch = Path.Combine(_folder.Path, "scratch");
        Directory.CreateDirectory(scratch);
        var request = new BackendRequest
        {
            Uri = _url,
            Changeset = changeset,
            FileName = $"pkg-{changeset}-git4.tar.gz",
            OutputPath = Path.Combine(scratch, $"pkg-{changeset}-git4.tar.gz"),
            ScratchFolder = scratch,
            PackageDownloadFolder = packageFolder,
            BaseName = $"pkg-{changeset}",
            RawName = "pkg",
            Quiet = true,
            Tools = new ToolPaths(),
            Runner = new ProcessRunner(log),
            Log = log,
        };
        await new GitBackend().FetchAsync(request, CancellationToken.None).ConfigureAwait(false);
        if (log.Failed || !File.Exists(request.OutputPath))
        {
            throw new InvalidOperationException("The benchmark's download failed: the figures would mean nothing.");
        }
    }

    private string Commit(string work, string message)
    {
        Git(work, "add", "-A");
        Git(work, "commit", "-q", "-m", message);
        return Git(work, "rev-parse", "HEAD");
    }

    private string Git(string folder, params string[] arguments) =>
        _runner.RunAsync(new ExternalCommand("git").WithArguments(arguments).WithWorkingDirectory(folder), CancellationToken.None)
            .GetAwaiter().GetResult().StandardOutput.Trim();

    private static string SourcePath(string work, int i) => Path.Combine(work, $"module{i % 40:D2}", $"part{i % 7}", $"file{i:D5}.c");

    private static void WriteSourceFile(string work, int i, Random random)
    {
        string path = SourcePath(work, i);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path);
        int lines = random.Next(10, 120);
        for (int line = 0; line < lines; line++)
        {
            writer.WriteLine($"static int f{i}_{line}(int x) {{ return x * {random.Next(1000)} + {line}; }}");
        }
    }

    private static void DeleteIfPresent(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string folder in Directory.EnumerateDirectories(source))
        {
            CopyFolder(folder, Path.Combine(destination, Path.GetFileName(folder)));
        }
    }
}
