using System.Globalization;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages.Manifests;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Reads Buildroot package manifests (<c>&lt;dir&gt;/&lt;name&gt;.mk</c>: a whole Buildroot tree, a
/// BR2_EXTERNAL tree, or a few files) as Buildroot reads them, into package items with the
/// metadata of <c>BuildrootPackage</c> (HashFiles as absolute paths, found as Buildroot finds
/// them) plus <c>DefiningManifest</c> and <c>Dependencies</c>. Every value arrives exactly as
/// written. A package whose download cannot be known is left out with one warning (<c>BRDL0701</c>,
/// <c>BRDL0706</c>) naming file and line; it is an error (<c>BRDL0705</c>) only when the package is
/// needed: selected in <see cref="SelectedPackages"/>, or a dependency of one.
/// </summary>
public sealed class ReadBuildrootManifests : BuildrootTask
{
    [Required]
    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>
    /// Values for variables the manifests use without defining them, such as
    /// <c>BR2_GNU_MIRROR</c>: Include is the name, metadata <c>Value</c> the value.
    /// </summary>
    public ITaskItem[] Variables { get; set; } = [];

    /// <summary>The packages the build needs (with their dependencies); empty: every package the manifests declare.</summary>
    public string[] SelectedPackages { get; set; } = [];

    /// <summary>One item per package: Include is the package name.</summary>
    [Output]
    public ITaskItem[] Packages { get; private set; } = [];

    internal override Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ITaskItem variable in Variables)
        {
            variables[variable.ItemSpec.Trim()] = variable.GetMetadata("Value");
        }

        string[] paths = Manifests.Select(manifest => Path.GetFullPath(manifest.ItemSpec, ProjectDirectoryOf(manifest))).ToArray();
        ManifestTree tree = ManifestTreeReader.Read(paths, variables, log);
        string[] selected = SelectedPackages.Select(name => name.Trim()).Where(name => name.Length > 0).ToArray();
        Packages = PackageSelection.Needed(tree, selected, log).Select(ToItem).ToArray();
        return Task.CompletedTask;
    }

    /// <summary>
    /// MSBuild unescapes item metadata each time a task reads it, so every value is escaped here:
    /// a site's <c>%20</c>, a <c>;</c> or a <c>$</c> reach the next task exactly as the manifest wrote them.
    /// </summary>
    private static TaskItem ToItem(ManifestPackage package)
    {
        var item = new TaskItem(package.Name);
        ITaskItem2 literal = item;
        foreach ((string name, string value) in package.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            literal.SetMetadataValueLiteral(name, value);
        }

        literal.SetMetadataValueLiteral("DefiningManifest", package.DefiningManifest);
        literal.SetMetadataValueLiteral("DefiningManifestLine", package.DefiningLine.ToString(CultureInfo.InvariantCulture));
        literal.SetMetadataValueLiteral("Dependencies", string.Join(';', package.Dependencies));
        return item;
    }
}
