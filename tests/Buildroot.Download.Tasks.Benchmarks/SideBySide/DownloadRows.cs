using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>The rows that download over HTTP: one 2 GiB file, 32 files behind a slow server, and the no-op build.</summary>
internal static partial class DownloadRows
{
    /// <summary>One 2 GiB file from nginx on loopback: curl, curl + openssl sha256, and a build that downloads it with its sha256 checked.</summary>
    public static IEnumerable<TableLine> LargeFile(BenchContext context)
    {
        Console.WriteLine("== one 2 GiB file over loopback HTTP");
        if (Servers.Find("nginx") is not { } nginx)
        {
            yield return Skipped("one 2 GiB file over loopback HTTP", "nginx is not installed");
            yield break;
        }

        string www = context.Folder("www");
        (string file, string sha256, _) = Workloads.RandomFile(Path.Combine(www, "big-2g.bin"), 2L << 30, seed: 2);
        using LoopbackServerProcess server = Servers.Nginx(nginx, www, context.Folder("nginx"));
        string site = $"http://127.0.0.1:{server.Port}";
        string hashFile = Path.Combine(context.Folder("hashes"), "big.hash");
        File.WriteAllText(hashFile, $"sha256 {sha256} big-2g.bin\n");
        PackageUnderTest.Consumer consumer = context.Package.CreateConsumer("large", Package("big", "1", site, "big-2g.bin", hashFile));
        PackageUnderTest.Consumer empty = context.Package.CreateConsumer("empty", string.Empty);
        string curlOutput = Path.Combine(context.Folder("curl"), "big-2g.bin");

        var curl = new Series("curl -o");
        var openssl = new Series("openssl dgst -sha256 (after curl)");
        var package = new Series("dotnet build (the package)");
        var nothing = new Series("dotnet build, nothing declared");
        string dl = Path.Combine(context.Work, "dl-large");
        context.Interleave(
            new Variant(curl, () => new BenchCommand("curl", ["-s", "-S", "-f", "-o", curlOutput, $"{site}/big-2g.bin"])),
            new Variant(openssl, () => new BenchCommand("openssl", ["dgst", "-sha256", curlOutput])),
            new Variant(package, () => consumer.Build("BuildrootSource", dl), Prepare: () =>
            {
                File.Delete(curlOutput);
                context.FreshFolder("dl-large");
            }),
            new Variant(nothing, () => empty.Build("BuildrootSource", dl)));

        double net = package.Median - nothing.Median;
        double curlAndHash = Series.MedianOf(curl.Samples.Zip(openssl.Samples, (a, b) => a.Seconds + b.Seconds));
        Console.WriteLine($"   net of MSBuild start-up: {BenchContext.Seconds(net)}; peak memory of the build {package.MedianPeakMiB:0} MiB (nothing declared: {nothing.MedianPeakMiB:0} MiB)");
        yield return new TableLine(
            "one 2 GiB file over loopback HTTP",
            $"`curl -o` {BenchContext.Seconds(curl.Median)}; curl + `openssl dgst -sha256` {BenchContext.Seconds(curlAndHash)}",
            $"{BenchContext.Seconds(net)} net, peak {package.MedianPeakMiB:0} MiB",
            $"{BenchContext.Times(net / curl.Median)} curl's time; {BenchContext.Times(net / curlAndHash)} curl + sha256",
            "≤ 1.1× curl + sha256; ≤ 150 MiB",
            net <= 1.1 * curlAndHash && !(package.MedianPeakMiB > 150));
    }

    /// <summary>32 files of 4 MiB from a server that waits 100 ms before each answer: Buildroot's serial dl-wrapper + wget against one build.</summary>
    public static IEnumerable<TableLine> SlowServer(BenchContext context)
    {
        const int count = 32;
        Console.WriteLine($"== {count} × 4 MiB, 100 ms before each answer");
        using var server = new LoopbackHttpServer { ResponseDelay = TimeSpan.FromMilliseconds(100) };
        var random = new Random(32);
        string hashes = context.Folder("hashes", "slow");
        var items = new List<string>();
        var wrapperCalls = new List<string>();
        string dl = Path.Combine(context.Work, "dl-slow");
        for (int i = 0; i < count; i++)
        {
            string name = $"pkg{i:D2}";
            byte[] content = new byte[4 << 20];
            random.NextBytes(content);
            server.Serve($"/{name}-1.0.tar.gz", content);
            string hashFile = Path.Combine(hashes, $"{name}.hash");
            File.WriteAllText(hashFile, $"sha256 {Workloads.Hex(SHA256.HashData(content))} {name}-1.0.tar.gz\n");
            items.Add(Package(name, "1.0", server.BaseUri, $"{name}-1.0.tar.gz", hashFile));
            wrapperCalls.Add($"mkdir -p '{dl}/{name}'");
            wrapperCalls.Add(
                $"support/download/dl-wrapper -c 1.0 -d '{dl}/{name}' -D '{dl}' -f {name}-1.0.tar.gz -H '{hashFile}' " +
                $"-n {name}-1.0 -N {name} -o '{dl}/{name}/{name}-1.0.tar.gz' -u 'http+{server.BaseUri}' --");
        }

        PackageUnderTest.Consumer consumer = context.Package.CreateConsumer("slow", string.Join(Environment.NewLine, items));
        PackageUnderTest.Consumer empty = context.Package.CreateConsumer("empty", string.Empty);
        var package = new Series("dotnet build (the package)");
        var nothing = new Series("dotnet build, nothing declared");
        var variants = new List<Variant>();
        Series? buildroot = null;
        if (context.BuildrootScripts is not null)
        {
            // As `make source` runs the wrapper: one package after the other (Buildroot's own -j1 default).
            string script = Path.Combine(context.Folder("scripts"), "serial-dl-wrapper.sh");
            File.WriteAllText(script, "set -e\nmkdir -p \"$BUILD_DIR\"\n" + string.Join('\n', wrapperCalls) + "\n");
            buildroot = new Series("serial dl-wrapper + wget");
            variants.Add(new Variant(buildroot, () => context.BashScript(script).With("BUILD_DIR", Path.Combine(context.Work, "scratch-slow")), Prepare: () => context.FreshFolder("dl-slow")));
        }

        variants.Add(new Variant(package, () => consumer.Build("BuildrootSource", dl), Prepare: () => context.FreshFolder("dl-slow")));
        variants.Add(new Variant(nothing, () => empty.Build("BuildrootSource", dl)));
        context.Interleave([.. variants]);

        double net = package.Median - nothing.Median;
        Console.WriteLine($"   net of MSBuild start-up: {BenchContext.Seconds(net)}; most requests at once: {server.MostConcurrentRequests}");
        yield return buildroot is null
            ? Skipped($"{count} × 4 MiB, 100 ms before each answer", context.SkipReasonWithoutScripts, $"{BenchContext.Seconds(net)} net")
            : new TableLine(
                $"{count} × 4 MiB, 100 ms before each answer",
                $"serial `dl-wrapper` + wget {BenchContext.Seconds(buildroot.Median)}",
                $"{BenchContext.Seconds(net)} net",
                $"{(buildroot.Median / net).ToString("0.0", CultureInfo.InvariantCulture)}× faster",
                "≥ 10× faster, net",
                buildroot.Median / net >= 10);
    }

    /// <summary>A build with 1,000 packages already downloaded: the DownloadPackage task's own time, and the requests it makes.</summary>
    public static IEnumerable<TableLine> NoOp(BenchContext context)
    {
        const int count = 1000;
        Console.WriteLine($"== no-op build, {count:N0} cached packages");
        using var server = new LoopbackHttpServer();
        string hashes = context.Folder("hashes", "noop");
        var items = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string name = $"p{i:D4}";
            byte[] content = System.Text.Encoding.UTF8.GetBytes($"package {i}\n");
            server.Serve($"/{name}-1.0.tar.gz", content);
            string hashFile = Path.Combine(hashes, $"{name}.hash");
            File.WriteAllText(hashFile, $"sha256 {Workloads.Hex(SHA256.HashData(content))} {name}-1.0.tar.gz\n");
            items.Add(Package(name, "1.0", server.BaseUri, $"{name}-1.0.tar.gz", hashFile));
        }

        PackageUnderTest.Consumer consumer = context.Package.CreateConsumer("noop", string.Join(Environment.NewLine, items));
        string dl = context.FreshFolder("dl-noop");
        Measurement.Run(consumer.Build("BuildrootSource", dl)); // the one build that downloads
        server.ClearRequests();

        var build = new Series("dotnet build, everything cached");
        context.Interleave(new Variant(build, () => consumer.Build("BuildrootSource", dl, "-clp:PerformanceSummary")));
        double taskMs = Series.MedianOf(build.Samples.Select(s => TaskMilliseconds(s.Output, "DownloadPackage")));
        int requests = server.Requests.Count;
        Console.WriteLine($"   DownloadPackage task: {taskMs:0} ms (median); requests: {requests}");
        yield return new TableLine(
            $"no-op build, {count:N0} cached packages",
            "—",
            $"`DownloadPackage` task {taskMs:0} ms, {requests} requests",
            "—",
            "≤ 100 ms task time, 0 requests",
            taskMs <= 100 && requests == 0);
    }

    public static TableLine Skipped(string workload, string reason, string package = "—") =>
        new(workload, $"skipped: {reason}", package, "—", "—", null);

    /// <summary>A BuildrootPackage item (XML) for the consumer project.</summary>
    public static string Package(string name, string version, string site, string source, string? hashFile, string method = "wget") =>
        $"""    <BuildrootPackage Include="{name}" Version="{version}" Site="{site}" SiteMethod="{method}" Source="{source}"{(hashFile is null ? string.Empty : $" HashFiles=\"{hashFile}\"")} />""";

    /// <summary>The time MSBuild's performance summary gives a task ("  316 ms  DownloadPackage  1 calls").</summary>
    private static double TaskMilliseconds(string output, string task)
    {
        Match match = Regex.Match(output, $@"^\s*(\d+) ms\s+{task}\s+\d+ calls", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }
}
