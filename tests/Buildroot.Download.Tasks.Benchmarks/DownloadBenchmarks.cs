using System.Collections.Immutable;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.TestUtilities;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>
/// The download step of 20 packages of 1 MiB each, served by a real HTTP server on loopback,
/// each with a sha256 hash file: a cold download into an empty download folder, and the
/// no-op run of a build where everything is already there (the path every build but the first takes).
/// </summary>
public class DownloadBenchmarks
{
    private const int PackageCount = 20;
    private const int FileSize = 1 << 20;

    private TemporaryFolder _folder = null!;
    private LoopbackHttpServer _server = null!;
    private ImmutableArray<PackageSpec> _packages;

    [GlobalSetup]
    public void ServePackages()
    {
        _folder = new TemporaryFolder("bench-download");
        _server = new LoopbackHttpServer();
        var random = new Random(7);
        _packages = Enumerable.Range(0, PackageCount).Select(i =>
        {
            string name = $"pkg{i:D2}";
            byte[] content = new byte[FileSize];
            random.NextBytes(content);
            _server.Serve($"/{name}-1.0.tar.gz", content);
            string hashFile = _folder.WriteFile($"packages/{name}/{name}.hash", $"sha256 {Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant()} {name}-1.0.tar.gz\n");
            return new PackageSpec
            {
                Name = name,
                Version = "1.0",
                SanitizedVersion = "1.0",
                Site = _server.BaseUri,
                SiteMethod = "wget",
                Source = $"{name}-1.0.tar.gz",
                DlSubdir = name,
                HashFiles = [hashFile],
            };
        }).ToImmutableArray();

        // The no-op benchmark starts from a complete, verified download folder.
        RunAsync("dl-warm").GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(ColdDownload))]
    public void EmptyTheColdFolder()
    {
        string cold = _folder.Combine("dl-cold");
        if (Directory.Exists(cold))
        {
            Directory.Delete(cold, recursive: true);
        }
    }

    [Benchmark(Description = "20 packages x 1 MiB, cold (HTTP on loopback, sha256 checked)")]
    public Task ColdDownload() => RunAsync("dl-cold");

    [Benchmark(Description = "20 packages, nothing to download (stamps trusted)")]
    public Task NoOpDownload() => RunAsync("dl-warm");

    [GlobalCleanup]
    public void Cleanup()
    {
        _server.Dispose();
        _folder.Dispose();
    }

    private async Task RunAsync(string downloadFolder)
    {
        var log = new SilentLog();
        var settings = new DownloadSettings
        {
            DownloadDirectory = _folder.Combine(downloadFolder),
            ScratchDirectory = _folder.Combine("scratch"),
        };
        var services = new DownloadServices(PostProcessCatalog.Get, new ProcessRunner(log), log, new TransientDownloads());
        ImmutableArray<DownloadedFile> files = await new DownloadRun(settings, services).DownloadAllAsync(_packages, CancellationToken.None);
        if (files.Length != PackageCount || log.Failed)
        {
            throw new InvalidOperationException("The benchmark's download failed: the figures would mean nothing.");
        }
    }
}
