using System.IO.Compression;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;

/// <summary>
/// A Go module proxy in a folder (<c>GOPROXY=file://…</c>), filled by the tests: for each module
/// <c>&lt;module&gt;/@v/list</c>, <c>&lt;version&gt;.info</c>, <c>.mod</c> and <c>.zip</c> (whose entries are
/// <c>&lt;module&gt;@&lt;version&gt;/…</c>). Everything stays offline.
/// </summary>
public sealed class GoFileProxy : IDisposable
{
    public static readonly (string Module, string Version)[] Modules =
    [
        ("example.com/brdl/greeting", "v0.1.0"),
        ("example.com/brdl/shout", "v0.2.0"),
    ];

    private readonly TemporaryFolder _folder = new("goproxy");

    public GoFileProxy()
    {
        ProxyFolder = _folder.Combine("proxy");
        foreach ((string module, string version) in Modules)
        {
            AddModule(module, version);
        }
    }

    public string ProxyFolder { get; }

    public string Url => "file://" + ProxyFolder;

    /// <summary>A Go build cache the tests' offline builds share (go keeps it safe for concurrent use).</summary>
    public string BuildCache => _folder.Combine("build-cache");

    /// <summary>The Go package name of a module (its last path element).</summary>
    public static string PackageName(string module) => module[(module.LastIndexOf('/') + 1)..];

    /// <summary>What <c>Describe()</c> of a module returns: "module version".</summary>
    public static string Description(string module) => $"{module} {Modules.Single(m => m.Module == module).Version}";

    /// <summary>
    /// Writes a main module using <paramref name="dependencies"/> into
    /// <c>&lt;parent&gt;/&lt;topFolder&gt;[/&lt;moduleFolder&gt;]</c>, with the <c>go.sum</c> go makes for it
    /// (<c>go mod tidy</c> against this proxy). Returns the top folder.
    /// </summary>
    public string WriteModule(string parent, string topFolder, string[] dependencies, string? moduleFolder = null)
    {
        string top = Path.Combine(parent, topFolder);
        string folder = moduleFolder is null ? top : Path.Combine(top, moduleFolder);
        Directory.CreateDirectory(folder);
        string requirements = string.Concat(dependencies.Select(d => $"require {d} {Modules.Single(m => m.Module == d).Version}\n"));
        File.WriteAllText(Path.Combine(folder, "go.mod"), $"module example.com/brdl/{topFolder}\n\ngo 1.19\n\n{requirements}");
        string imports = string.Concat(dependencies.Select(d => $"\t\"{d}\"\n"));
        string calls = string.Join(", ", dependencies.Select(d => $"{PackageName(d)}.Describe()"));
        File.WriteAllText(Path.Combine(folder, "main.go"), $"package main\n\nimport (\n\t\"fmt\"\n\n{imports})\n\nfunc main() {{\n\tfmt.Println({calls})\n}}\n");
        File.WriteAllText(Path.Combine(top, "README"), $"{topFolder}: a test package.\n");
        ReferenceTool.Run("go", ["mod", "tidy"], folder, Environment(_folder.Combine("tidy")));
        return top;
    }

    /// <summary>An environment for running go against this proxy, with every cache under <paramref name="root"/>.</summary>
    public IReadOnlyDictionary<string, string?> Environment(string root) => new Dictionary<string, string?>
    {
        ["GOPROXY"] = Url,
        ["GOSUMDB"] = "off",
        ["GOFLAGS"] = "-modcacherw",
        ["GOMODCACHE"] = Path.Combine(root, "mod"),
        ["GOPATH"] = Path.Combine(root, "path"),
        ["GOCACHE"] = BuildCache,
        ["GOTOOLCHAIN"] = "local",
        ["GOWORK"] = "off",
    };

    public void Dispose() => _folder.Dispose();

    private void AddModule(string module, string version)
    {
        string versions = Path.Combine(ProxyFolder, module, "@v");
        Directory.CreateDirectory(versions);
        string goMod = $"module {module}\n\ngo 1.19\n";
        string source = $"package {PackageName(module)}\n\n// Describe says which module this is.\nfunc Describe() string {{ return \"{module} {version}\" }}\n";
        File.WriteAllText(Path.Combine(versions, "list"), version + "\n");
        File.WriteAllText(Path.Combine(versions, $"{version}.info"), $$"""{"Version":"{{version}}","Time":"2024-01-02T03:04:05Z"}""");
        File.WriteAllText(Path.Combine(versions, $"{version}.mod"), goMod);
        using var zip = ZipFile.Open(Path.Combine(versions, $"{version}.zip"), ZipArchiveMode.Create);
        Add(zip, $"{module}@{version}/go.mod", goMod);
        Add(zip, $"{module}@{version}/{PackageName(module)}.go", source);
        Add(zip, $"{module}@{version}/LICENSE", "MIT\n");
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(content);
    }
}
