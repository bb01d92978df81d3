using BenchmarkDotNet.Attributes;
using Buildroot.Download.Tasks.Packages.Manifests;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>
/// What ReadBuildrootManifests spends on Buildroot's whole package tree
/// (<c>../shared/conformance/buildroot-manifests/tree</c>, about 3,300 manifests): every file read
/// into one namespace, every package mapped and validated. The goal is at most one second.
/// </summary>
public class ManifestBenchmarks
{
    private static readonly Dictionary<string, string> ConfigurationDefaults = new()
    {
        ["BR2_GNU_MIRROR"] = "https://ftpmirror.gnu.org",
        ["BR2_KERNEL_MIRROR"] = "https://cdn.kernel.org/pub",
        ["BR2_CPAN_MIRROR"] = "https://cpan.metacpan.org",
        ["BR2_LUAROCKS_MIRROR"] = "http://rocks.moonscript.org",
    };

    private string[] _manifests = [];

    [GlobalSetup]
    public void FindTheTree()
    {
        string tree = Path.Combine(RepositoryPaths.ManifestConformance, "tree");
        if (!Directory.Exists(tree))
        {
            throw new InvalidOperationException($"The benchmark reads Buildroot's tree from {tree} (the shared folder beside the repository), which is absent.");
        }

        _manifests = Directory.GetFiles(Path.Combine(tree, "package"), "*.mk", SearchOption.AllDirectories);
    }

    [Benchmark]
    public int ReadWholeBuildrootTree()
    {
        var log = new SilentLog();
        ManifestTree read = ManifestTreeReader.Read(_manifests, ConfigurationDefaults, log);
        return log.Failed ? throw new InvalidOperationException("The tree did not read without error.") : read.Packages.Length;
    }
}
