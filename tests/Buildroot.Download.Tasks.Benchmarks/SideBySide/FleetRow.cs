using System.Security.Cryptography;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// A cold CI machine (an empty download folder) with and without the asset cache, interleaved
/// run by run: the same project of <see cref="FileCount"/> source archives from an upstream
/// server that waits 100 ms before each answer (as a mirror across the internet does) and one
/// git package, tag v1 of the synthetic large repository over <c>git daemon</c>; with the
/// cache, the same project plus a <c>BuildrootAssetCache</c> item on nginx that a fleet has
/// filled (every file stored under its sha256, as a read-write build leaves it). There is no
/// Buildroot side: Buildroot has no such cache. Both sides are net of the same build declaring
/// nothing. On loopback the upstream's bandwidth is the cache's, so the HTTP files gain only
/// the upstream's latency; the git package gains its clone and archive.
/// </summary>
internal static class FleetRow
{
    private const int FileCount = 24;
    private const int FileBytes = 2 << 20;

    public static IEnumerable<TableLine> Run(BenchContext context)
    {
        string workload = $"a cold machine: {FileCount} × 2 MiB (100 ms before each answer) and a git package (synthetic large repository, tag v1)";
        Console.WriteLine($"== {workload}, with and without the asset cache");
        if (Servers.Find("nginx") is not { } nginx)
        {
            yield return DownloadRows.Skipped(workload, "nginx is not installed");
            yield break;
        }

        string repository = SyntheticGitRepository.Create(Path.Combine(context.Work, "git-large"));
        using LoopbackServerProcess daemon = Servers.GitDaemon(Path.GetDirectoryName(repository)!);
        using var upstream = new LoopbackHttpServer { ResponseDelay = TimeSpan.FromMilliseconds(100) };
        string hashes = context.Folder("hashes", "fleet");
        var items = new List<string>();
        var random = new Random(24);
        for (int i = 0; i < FileCount; i++)
        {
            string name = $"src{i:D2}";
            byte[] content = new byte[FileBytes];
            random.NextBytes(content);
            upstream.Serve($"/{name}-1.0.tar.gz", content);
            File.WriteAllText(Path.Combine(hashes, $"{name}.hash"), $"sha256 {Workloads.Hex(SHA256.HashData(content))} {name}-1.0.tar.gz\n");
            items.Add(DownloadRows.Package(name, "1.0", upstream.BaseUri, $"{name}-1.0.tar.gz", Path.Combine(hashes, $"{name}.hash")));
        }

        // The cache a fleet has filled: one untimed build from upstream gives every file (and the
        // git archive's sha256, which the hash file then lists), each stored under its sha256.
        string url = $"git://127.0.0.1:{daemon.Port}/repo.git";
        string cacheRoot = context.FreshFolder("fleet-cache");
        string filled = context.FreshFolder("dl-fleet-fill");
        PackageUnderTest.Consumer fill = context.Package.CreateConsumer(
            "fleet-fill",
            string.Join(Environment.NewLine, items.Append(DownloadRows.Package("repo", "v1", url, "repo-v1-git4.tar.gz", null, method: "git"))));
        Measurement.Run(fill.Build("BuildrootSource", filled));
        string gitHash = Path.Combine(hashes, "repo.hash");
        File.WriteAllText(gitHash, $"sha256 {Sha256Of(Path.Combine(filled, "repo", "repo-v1-git4.tar.gz"))} repo-v1-git4.tar.gz\n");
        items.Add(DownloadRows.Package("repo", "v1", url, "repo-v1-git4.tar.gz", gitHash, method: "git"));
        Directory.CreateDirectory(Path.Combine(cacheRoot, "cache"));
        foreach (string file in Directory.EnumerateFiles(filled, "*.tar.gz", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(cacheRoot, "cache", Sha256Of(file)), overwrite: true);
        }

        using LoopbackServerProcess store = Servers.Nginx(nginx, cacheRoot, context.Folder("nginx-fleet"));
        string cacheItem = $$"""    <BuildrootAssetCache Include="http://127.0.0.1:{{store.Port}}/cache/{sha256}" Access="read" />""";
        PackageUnderTest.Consumer withoutCache = context.Package.CreateConsumer("fleet-upstream", string.Join(Environment.NewLine, items));
        PackageUnderTest.Consumer withCache = context.Package.CreateConsumer("fleet-cached", string.Join(Environment.NewLine, items.Append(cacheItem)));
        PackageUnderTest.Consumer empty = context.Package.CreateConsumer("empty", string.Empty);
        upstream.ClearRequests();

        var cold = new Series("cold machine, from upstream");
        var cached = new Series("cold machine, from the asset cache");
        var nothing = new Series("dotnet build, nothing declared");
        // Upstream's requests are counted from before each cached run to after it (the next variant's preparation).
        int upstreamRequestsWithCache = 0;
        int clonesWithCache = 0;
        int before = 0;
        string dl = Path.Combine(context.Work, "dl-fleet");
        context.Interleave(
            new Variant(cold, () => withoutCache.Build("BuildrootSource", dl), Prepare: () => context.FreshFolder("dl-fleet")),
            new Variant(cached, () => withCache.Build("BuildrootSource", dl), Prepare: () =>
            {
                context.FreshFolder("dl-fleet");
                before = upstream.Requests.Count;
            }),
            new Variant(nothing, () => empty.Build("BuildrootSource", Path.Combine(context.Work, "dl-fleet-none")), Prepare: () =>
            {
                upstreamRequestsWithCache += upstream.Requests.Count - before;
                clonesWithCache += Directory.Exists(Path.Combine(dl, "repo", "git")) ? 1 : 0;
            }));

        double netCold = cold.Median - nothing.Median;
        double netCached = cached.Median - nothing.Median;
        Console.WriteLine($"   net of MSBuild start-up: {BenchContext.Seconds(netCold)} from upstream, {BenchContext.Seconds(netCached)} from the cache; during the cached runs: {upstreamRequestsWithCache} upstream requests, {clonesWithCache} git clones");
        yield return new TableLine(
            workload,
            $"without the cache {BenchContext.Seconds(netCold)} net",
            $"with the cache {BenchContext.Seconds(netCached)} net, {upstreamRequestsWithCache} upstream requests, {clonesWithCache} clones",
            BenchContext.Times(netCached / netCold),
            "0 upstream requests, no clone",
            upstreamRequestsWithCache == 0 && clonesWithCache == 0);
    }

    private static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Workloads.Hex(SHA256.HashData(stream));
    }
}
