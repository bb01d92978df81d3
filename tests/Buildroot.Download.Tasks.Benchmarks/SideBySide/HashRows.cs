namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// Checking a 1 GiB file in the download folder (<c>-t:BuildrootVerify</c>, which always
/// re-hashes): with sha256 and sha512 listed, and with sha256 alone, against Buildroot's
/// <c>check-hash</c> and <c>openssl dgst</c>.
/// </summary>
internal static class HashRows
{
    public static IEnumerable<TableLine> Run(BenchContext context)
    {
        Console.WriteLine("== check 1 GiB against its hashes");
        string dl = context.Folder("dl-hash");
        (string file, string sha256, string sha512) = Workloads.RandomFile(Path.Combine(dl, "big", "big-1g.bin"), 1L << 30, seed: 1);
        string hashes = context.Folder("hashes", "verify");
        string both = Path.Combine(hashes, "both.hash");
        string one = Path.Combine(hashes, "one.hash");
        File.WriteAllText(both, $"sha256 {sha256} big-1g.bin\nsha512 {sha512} big-1g.bin\n");
        File.WriteAllText(one, $"sha256 {sha256} big-1g.bin\n");
        PackageUnderTest.Consumer verifyBoth = context.Package.CreateConsumer("verify-both", DownloadRows.Package("big", "1", "http://127.0.0.1:9", "big-1g.bin", both));
        PackageUnderTest.Consumer verifyOne = context.Package.CreateConsumer("verify-one", DownloadRows.Package("big", "1", "http://127.0.0.1:9", "big-1g.bin", one));
        PackageUnderTest.Consumer empty = context.Package.CreateConsumer("empty", string.Empty);

        var packageBoth = new Series("BuildrootVerify, sha256 + sha512");
        var packageOne = new Series("BuildrootVerify, sha256");
        var nothing = new Series("BuildrootVerify, nothing declared");
        var sha512Alone = new Series("openssl dgst -sha512");
        var sha256Alone = new Series("openssl dgst -sha256");
        var variants = new List<Variant>
        {
            new(packageBoth, () => verifyBoth.Build("BuildrootVerify", dl)),
            new(packageOne, () => verifyOne.Build("BuildrootVerify", dl)),
            new(nothing, () => empty.Build("BuildrootVerify", dl)),
            new(sha512Alone, () => new BenchCommand("openssl", ["dgst", "-sha512", file])),
            new(sha256Alone, () => new BenchCommand("openssl", ["dgst", "-sha256", file])),
        };
        Series? checkBoth = null;
        Series? checkOne = null;
        if (context.BuildrootScripts is not null)
        {
            checkBoth = new Series("check-hash, sha256 + sha512");
            checkOne = new Series("check-hash, sha256");
            variants.Insert(0, new Variant(checkBoth, () => context.Script("check-hash", file, "big-1g.bin", both)));
            variants.Insert(1, new Variant(checkOne, () => context.Script("check-hash", file, "big-1g.bin", one)));
        }

        context.Interleave([.. variants]);
        double netBoth = packageBoth.Median - nothing.Median;
        double netOne = packageOne.Median - nothing.Median;
        Console.WriteLine($"   net of MSBuild start-up: {BenchContext.Seconds(netBoth)} (sha256 + sha512), {BenchContext.Seconds(netOne)} (sha256)");
        if (checkBoth is null || checkOne is null)
        {
            yield return DownloadRows.Skipped("check 1 GiB with sha256 + sha512 listed", context.SkipReasonWithoutScripts, $"{BenchContext.Seconds(netBoth)} net");
            yield return DownloadRows.Skipped("check 1 GiB with sha256 only", context.SkipReasonWithoutScripts, $"{BenchContext.Seconds(netOne)} net");
            yield break;
        }

        yield return new TableLine(
            "check 1 GiB with sha256 + sha512 listed",
            $"`check-hash` {BenchContext.Seconds(checkBoth.Median)}; `openssl dgst -sha512` {BenchContext.Seconds(sha512Alone.Median)}",
            $"{BenchContext.Seconds(netBoth)} net",
            $"{BenchContext.Times(netBoth / checkBoth.Median)} check-hash; {BenchContext.Times(netBoth / sha512Alone.Median)} openssl sha512",
            "≤ 0.33×",
            netBoth <= 0.33 * checkBoth.Median);
        yield return new TableLine(
            "check 1 GiB with sha256 only",
            $"`check-hash` {BenchContext.Seconds(checkOne.Median)}; `openssl dgst` {BenchContext.Seconds(sha256Alone.Median)}",
            $"{BenchContext.Seconds(netOne)} net",
            $"{BenchContext.Times(netOne / checkOne.Median)} check-hash; {BenchContext.Times(netOne / sha256Alone.Median)} openssl's time",
            "≤ openssl's time",
            netOne <= sha256Alone.Median);
    }
}
