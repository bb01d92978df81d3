using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Packages.Manifests;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Reads Buildroot package manifests (<c>&lt;dir&gt;/&lt;name&gt;.mk</c>) into package items with
/// the metadata of <c>BuildrootPackage</c> (HashFiles as absolute paths, found as Buildroot
/// finds them) plus <c>DefiningManifest</c>. Each package is validated here, so a bad manifest
/// fails with its file named. Constructs the reader cannot know for sure are warnings
/// (<c>BRDL0701</c>) naming file and line; a package whose download depends on them is skipped.
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

        var definedIn = new Dictionary<string, string>(StringComparer.Ordinal);
        var manifestsRead = new HashSet<string>(StringComparer.Ordinal);
        var packages = new List<ITaskItem>();
        foreach (ITaskItem manifest in Manifests)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = Path.GetFullPath(manifest.ItemSpec, ProjectDirectoryOf(manifest));
            if (!manifestsRead.Add(path))
            {
                continue; // the same file matched by two globs
            }

            foreach (ManifestPackage package in Read(path, variables, log))
            {
                if (definedIn.TryGetValue(package.Name, out string? first))
                {
                    log.Error(MessageCodes.PackageDefinedTwice, $"{path}: package '{package.Name}' is already defined by {first}; a package comes from one manifest only.");
                    continue;
                }

                definedIn[package.Name] = path;
                if (IsValid(package, path, log))
                {
                    packages.Add(ToItem(package));
                }
            }
        }

        Packages = packages.ToArray();
        return Task.CompletedTask;
    }

    private static IEnumerable<ManifestPackage> Read(string path, IReadOnlyDictionary<string, string> variables, IBuildLog log)
    {
        try
        {
            return ManifestReader.Read(path, variables, log);
        }
        catch (BrdlException e)
        {
            log.Error(e.Code, e.Message);
            return [];
        }
    }

    /// <summary>Applies the checks a BuildrootPackage item gets, so that errors name the manifest.</summary>
    private static bool IsValid(ManifestPackage package, string path, IBuildLog log)
    {
        try
        {
            PackageSpecFactory.Create(package.Name, package.Metadata, Path.GetDirectoryName(path)!);
            return true;
        }
        catch (BrdlException e)
        {
            log.Error(e.Code, $"{path}: {e.Message}");
            return false;
        }
    }

    private static TaskItem ToItem(ManifestPackage package)
    {
        var item = new TaskItem(package.Name);
        foreach ((string name, string value) in package.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            item.SetMetadata(name, value);
        }

        item.SetMetadata("DefiningManifest", package.DefiningManifest);
        return item;
    }

}
