using System.Text.Json;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.Tests.Packages.Manifests;

/// <summary>
/// Buildroot's whole package tree, read as a build reads it (ReadBuildrootManifests, then
/// BuildrootShowInfo in Buildroot's format), against what Buildroot's own <c>make show-info</c>
/// printed for it (<c>../shared/conformance/buildroot-manifests/expected.tsv</c>).
/// </summary>
public sealed class ManifestConformanceTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The configuration defaults the expected values were made with (the data's README).</summary>
    private static readonly Dictionary<string, string> ConfigurationDefaults = new()
    {
        ["BR2_GNU_MIRROR"] = "https://ftpmirror.gnu.org",
        ["BR2_KERNEL_MIRROR"] = "https://cdn.kernel.org/pub",
        ["BR2_CPAN_MIRROR"] = "https://cpan.metacpan.org",
        ["BR2_LUAROCKS_MIRROR"] = "http://rocks.moonscript.org",
    };

    private readonly TemporaryFolder _folder = new("mkconformance");

    public void Dispose() => _folder.Dispose();

    [ManifestConformanceFact]
    public void Every_manifest_of_the_checkout_boot_linux_toolchain_and_all_reads_without_error()
    {
        // What a user pointing at a whole Buildroot checkout gives (tree/**/*.mk): beyond package/,
        // manifests such as boot/uboot/uboot.mk declare their package in both branches of a
        // Kconfig choice the tree alone does not make.
        var engine = new RecordingBuildEngine();
        string tree = Path.Combine(RepositoryPaths.ManifestConformance, "tree");
        var read = new ReadBuildrootManifests
        {
            BuildEngine = engine,
            Manifests = [.. Directory.GetFiles(tree, "*.mk", SearchOption.AllDirectories).Select(path => (ITaskItem)new TaskItem(path))],
            Variables = [.. ConfigurationDefaults.Select(pair => Variable(pair.Key, pair.Value))],
        };

        read.Execute().ShouldBeTrue(engine.Transcript);

        engine.Errors.ShouldBeEmpty();
        read.Packages.Length.ShouldBeGreaterThan(3_000);
    }

    [ManifestConformanceFact]
    public void The_whole_tree_reads_without_error_and_agrees_with_Buildroots_show_info()
    {
        var engine = new RecordingBuildEngine();
        string tree = Path.Combine(RepositoryPaths.ManifestConformance, "tree");
        string[] manifests = Directory.GetFiles(Path.Combine(tree, "package"), "*.mk", SearchOption.AllDirectories)
            .Where(path => Path.GetRelativePath(tree, path).Count(c => c == '/') is 2 or 3)
            .ToArray();
        var read = new ReadBuildrootManifests
        {
            BuildEngine = engine,
            Manifests = [.. manifests.Select(path => (ITaskItem)new TaskItem(path))],
            Variables = [.. ConfigurationDefaults.Select(pair => Variable(pair.Key, pair.Value))],
        };

        read.Execute().ShouldBeTrue(engine.Transcript);
        engine.Errors.ShouldBeEmpty();

        string json = _folder.Combine("show-info.json");
        var show = new ShowBuildrootInfo
        {
            BuildEngine = engine,
            Packages = read.Packages,
            OutputFile = json,
            Format = ShowBuildrootInfo.BuildrootFormat,
            DownloadDirectory = _folder.Combine("dl"),
            BackupSite = string.Empty,
        };
        show.Execute().ShouldBeTrue(engine.Transcript);

        using JsonDocument info = JsonDocument.Parse(File.ReadAllText(json));
        string warned = string.Join('\n', engine.Warnings.Select(w => w.Message));
        var differing = new List<string>();
        var silent = new List<string>();
        int agree = 0;
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryPaths.ManifestConformance, "expected.tsv"));
        foreach (string line in lines.Skip(1))
        {
            string[] expected = line.Split('\t');
            string name = expected[0];
            string? difference = Difference(info.RootElement, expected);
            if (difference is null)
            {
                agree++;
                continue;
            }

            bool named = warned.Contains($"Package '{name}'", StringComparison.Ordinal);
            differing.Add($"{name}: {difference}{(named ? string.Empty : "  <-- NOT WARNED")}");
            if (!named)
            {
                silent.Add(name);
            }
        }

        int total = lines.Length - 1;
        output.WriteLine($"{manifests.Length} manifests read, {read.Packages.Length} packages, {engine.Warnings.Count} warnings.");
        output.WriteLine($"Agreement: {agree} of {total} packages ({100.0 * agree / total:F1}%) agree on version, dl dir, first download, its site and the number of downloads.");
        output.WriteLine($"Differing ({differing.Count}):");
        foreach (string entry in differing)
        {
            output.WriteLine("  " + entry);
        }

        output.WriteLine($"Warnings ({engine.Warnings.Count}):");
        foreach (BuildWarningEventArgs warning in engine.Warnings)
        {
            output.WriteLine($"  {warning.File}({warning.LineNumber}): {warning.Code}: {warning.Message}");
        }

        silent.ShouldBeEmpty("packages that differ without a warning");
        (100.0 * agree / total).ShouldBeGreaterThanOrEqualTo(99.0);
    }

    /// <summary>Null when the package agrees with Buildroot on every compared field, else what differs.</summary>
    private static string? Difference(JsonElement info, string[] expected)
    {
        (string name, string version, string dlDir, string source, string siteUri, string count) =
            (expected[0], expected[1], expected[2], expected[3], expected[4], expected[5]);
        if (!info.TryGetProperty(name, out JsonElement package))
        {
            return "not read";
        }

        JsonElement[] downloads = [.. package.GetProperty("downloads").EnumerateArray()];
        string ours = downloads.Length == 0
            ? "(none)"
            : $"{downloads[0].GetProperty("source").GetString()} {downloads[0].GetProperty("uris")[0].GetString()}";
        var differences = new List<string>();
        Compare(differences, "version", version, package.GetProperty("version").GetString());
        Compare(differences, "dl_dir", dlDir, package.GetProperty("dl_dir").GetString());
        Compare(differences, "first download", $"{source} {siteUri}", ours);
        Compare(differences, "downloads", count, downloads.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    private static void Compare(List<string> differences, string field, string expected, string? actual)
    {
        if (expected != actual)
        {
            differences.Add($"{field} '{actual}', Buildroot '{expected}'");
        }
    }

    private static TaskItem Variable(string name, string value)
    {
        var item = new TaskItem(name);
        item.SetMetadata("Value", value);
        return item;
    }
}
