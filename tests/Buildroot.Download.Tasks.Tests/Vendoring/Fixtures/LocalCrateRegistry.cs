using System.Security.Cryptography;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;

/// <summary>
/// A cargo <c>local-registry</c> the tests build with the real cargo: a few tiny crates packed with
/// <c>cargo package</c>, and an index naming them. A <c>config.toml</c> in a cargo home replaces
/// crates.io with it, as a company mirror would, so everything stays offline.
/// </summary>
public sealed class LocalCrateRegistry : IDisposable
{
    public static readonly (string Name, string Version)[] Crates =
    [
        ("brdl-greeting", "0.1.0"),
        ("brdl-shout", "0.2.0"),
        ("brdl-count", "1.0.0"),
    ];

    private readonly TemporaryFolder _folder = new("crates");
    private readonly string _lockfileCargoHome;

    public LocalCrateRegistry()
    {
        RegistryFolder = _folder.Combine("registry");
        Directory.CreateDirectory(RegistryFolder);
        foreach ((string name, string version) in Crates)
        {
            AddCrate(name, version);
        }

        _lockfileCargoHome = _folder.Combine("lockfile-cargo-home");
        ConfigureCargoHome(_lockfileCargoHome);
    }

    public string RegistryFolder { get; }

    /// <summary>The Rust identifier of a crate (<c>brdl-greeting</c> is used as <c>brdl_greeting</c>).</summary>
    public static string Identifier(string crate) => crate.Replace('-', '_');

    /// <summary>What <c>describe()</c> of a crate returns: "name version".</summary>
    public static string Description(string crate) => $"{crate} {Crates.Single(c => c.Name == crate).Version}";

    /// <summary>Writes <c>&lt;cargoHome&gt;/config.toml</c> replacing crates.io with this registry; returns its path.</summary>
    public string ConfigureCargoHome(string cargoHome)
    {
        Directory.CreateDirectory(cargoHome);
        string config = Path.Combine(cargoHome, "config.toml");
        File.WriteAllText(config, $"""
            [source.crates-io]
            replace-with = "company-mirror"

            [source.company-mirror]
            local-registry = '{RegistryFolder}'

            """);
        return config;
    }

    /// <summary>
    /// Writes a binary crate <paramref name="packageName"/> using <paramref name="dependencies"/> into
    /// <c>&lt;parent&gt;/&lt;topFolder&gt;[/&lt;manifestFolder&gt;]</c>, with the <c>Cargo.lock</c> cargo makes for it.
    /// Returns the top folder.
    /// </summary>
    public string WritePackage(string parent, string topFolder, string packageName, string[] dependencies, string? manifestFolder = null)
    {
        string top = Path.Combine(parent, topFolder);
        string crate = manifestFolder is null ? top : Path.Combine(top, manifestFolder);
        Directory.CreateDirectory(Path.Combine(crate, "src"));
        string requirements = string.Concat(dependencies.Select(d => $"{d} = \"{Crates.Single(c => c.Name == d).Version}\"\n"));
        File.WriteAllText(Path.Combine(crate, "Cargo.toml"), $"""
            [package]
            name = "{packageName}"
            version = "0.1.0"
            edition = "2021"

            [dependencies]
            {requirements}
            """);
        string calls = string.Join(", ", dependencies.Select(d => $"{Identifier(d)}::describe()"));
        string format = string.Join(", ", dependencies.Select(_ => "{}"));
        File.WriteAllText(Path.Combine(crate, "src", "main.rs"), $$"""
            fn main() {
                println!("{{format}}", {{calls}});
            }

            """);
        File.WriteAllText(Path.Combine(top, "README"), $"{packageName}: a test package.\n");
        ReferenceTool.Run("cargo", ["generate-lockfile", "--offline"], crate, new Dictionary<string, string?> { ["CARGO_HOME"] = _lockfileCargoHome });
        return top;
    }

    public void Dispose() => _folder.Dispose();

    private void AddCrate(string name, string version)
    {
        string source = _folder.Combine("sources", name);
        Directory.CreateDirectory(Path.Combine(source, "src"));
        File.WriteAllText(Path.Combine(source, "Cargo.toml"), $"""
            [package]
            name = "{name}"
            version = "{version}"
            edition = "2021"
            description = "A crate of the vendoring tests"
            license = "MIT"

            """);
        File.WriteAllText(Path.Combine(source, "src", "lib.rs"), $$"""
            pub fn describe() -> &'static str {
                "{{name}} {{version}}"
            }

            """);
        ReferenceTool.Run(
            "cargo",
            ["package", "--offline", "--no-verify", "--allow-dirty"],
            source,
            new Dictionary<string, string?> { ["CARGO_HOME"] = _folder.Combine("packing-cargo-home") });

        string crateFile = Path.Combine(RegistryFolder, $"{name}-{version}.crate");
        File.Copy(Path.Combine(source, "target", "package", $"{name}-{version}.crate"), crateFile);
        string checksum = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(crateFile))).ToLowerInvariant();
        string indexFile = Path.Combine(RegistryFolder, "index", IndexPath(name));
        Directory.CreateDirectory(Path.GetDirectoryName(indexFile)!);
        File.AppendAllText(indexFile, $$"""{"name":"{{name}}","vers":"{{version}}","deps":[],"cksum":"{{checksum}}","features":{},"yanked":false}""" + "\n");
    }

    /// <summary>Where cargo's index layout puts a crate's file.</summary>
    private static string IndexPath(string name) => name.Length switch
    {
        1 => Path.Combine("1", name),
        2 => Path.Combine("2", name),
        3 => Path.Combine("3", name[..1], name),
        _ => Path.Combine(name[..2], name[2..4], name),
    };
}
