using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

/// <summary>The samples in <c>testassets/vendoring</c> vendor from the registry and proxy kept beside them, and build offline.</summary>
public sealed class SampleTests : IDisposable
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.TestAssets, "vendoring");

    private readonly VendoringScenario _scenario = new("samples");
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public void The_rust_sample_vendors_from_the_sample_registry_and_builds_offline()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(_scenario.CargoHome).FullName, "config.toml"), $"""
            [source.crates-io]
            replace-with = "samples"

            [source.samples]
            local-registry = '{Path.Combine(Samples, "crates")}'

            """);
        string archive = PackSample("rust-hello");
        var task = new CargoVendor { BuildEngine = _engine, Archive = archive, DownloadDirectory = _scenario.DownloadDirectory };

        task.Execute().ShouldBeTrue(_engine.Transcript);

        string copy = SourceArchives.Unpack(archive, _scenario.Root.Combine("build"));
        ReferenceTool.Run("cargo", ["run", "--offline", "--frozen", "--quiet"], copy, new Dictionary<string, string?>
        {
            ["CARGO_HOME"] = _scenario.Root.Combine("empty-cargo-home"),
            ["CARGO_TARGET_DIR"] = _scenario.Root.Combine("target"),
        }).Trim().ShouldBe("Hello from a vendored crate");
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public void The_go_sample_vendors_from_the_sample_proxy_and_builds_offline()
    {
        string archive = PackSample("go-hello");
        var task = new GoVendor
        {
            BuildEngine = _engine,
            Archive = archive,
            DownloadDirectory = _scenario.DownloadDirectory,
            GoProxy = "file://" + Path.Combine(Samples, "goproxy"),
        };

        task.Execute().ShouldBeTrue(_engine.Transcript);

        string copy = SourceArchives.Unpack(archive, _scenario.Root.Combine("build"));
        ReferenceTool.Run("go", ["run", "."], copy, new Dictionary<string, string?>
        {
            ["GOPROXY"] = "off",
            ["GOFLAGS"] = "-mod=vendor",
            ["GOMODCACHE"] = _scenario.Root.Combine("empty-go-mod-cache"),
            ["GOPATH"] = _scenario.Root.Combine("go-path"),
            ["GOCACHE"] = _scenario.Root.Combine("go-build-cache"),
            ["GOTOOLCHAIN"] = "local",
        }).Trim().ShouldBe("Hello from a vendored module");
    }

    /// <summary>Copies the sample to <c>&lt;name&gt;-1.0/</c> and packs it, as its release tarball.</summary>
    private string PackSample(string name)
    {
        string top = _scenario.Root.Combine("src", $"{name}-1.0");
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Samples, name), "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(top, Path.GetRelativePath(Path.Combine(Samples, name), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return _scenario.Pack(top, $"{name}-1.0.tar.gz");
    }
}
