using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Which of the manifests' packages a build needs: all of them, or the selected ones with what
/// they depend on (their <c>FOO_DEPENDENCIES</c>, as far as the manifests say for sure). A
/// needed package that was left out is an error here, and only here.
/// </summary>
internal static class PackageSelection
{
    /// <summary>The packages to keep; errors (logged) for a needed package left out or an unknown name.</summary>
    public static ImmutableArray<ManifestPackage> Needed(ManifestTree tree, IReadOnlyList<string> selected, IBuildLog log)
    {
        if (selected.Count == 0)
        {
            return tree.Packages;
        }

        Dictionary<string, ManifestPackage> packages = tree.Packages.ToDictionary(p => p.Name, StringComparer.Ordinal);
        Dictionary<string, LeftOutPackage> leftOut = tree.LeftOut.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var kept = new List<ManifestPackage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(string Name, string? NeededBy)>();
        foreach (string name in selected)
        {
            if (!Known(name, tree, packages, leftOut))
            {
                log.Error(MessageCodes.UnknownSelectedPackage, $"BuildrootPackages names '{name}', which no manifest declares: check the name (a host package is 'host-<name>').");
                continue;
            }

            queue.Enqueue((name, null));
        }

        while (queue.TryDequeue(out (string Name, string? NeededBy) next))
        {
            string name = tree.SameDownloadAs.GetValueOrDefault(next.Name, next.Name);
            if (!seen.Add(name))
            {
                continue;
            }

            ImmutableArray<string> dependencies;
            if (packages.TryGetValue(name, out ManifestPackage? package))
            {
                kept.Add(package);
                dependencies = package.Dependencies;
            }
            else if (leftOut.TryGetValue(name, out LeftOutPackage? left))
            {
                string why = next.NeededBy is null ? "it is selected (BuildrootPackages)" : $"'{next.NeededBy}' depends on it";
                log.Error(MessageCodes.NeededPackageLeftOut, $"Package '{name}' is needed, as {why}, but was left out: {left.Reason} (see {left.Code}).", left.Location);
                dependencies = left.Dependencies;
            }
            else if (!tree.NothingToDownload.TryGetValue(name, out dependencies))
            {
                continue; // not in these manifests: a BuildrootPackage item, or a package of a tree not read
            }

            foreach (string dependency in dependencies)
            {
                queue.Enqueue((dependency, name));
            }
        }

        return [.. kept];
    }

    private static bool Known(string name, ManifestTree tree, Dictionary<string, ManifestPackage> packages, Dictionary<string, LeftOutPackage> leftOut) =>
        packages.ContainsKey(name) || leftOut.ContainsKey(name) || tree.NothingToDownload.ContainsKey(name) || tree.SameDownloadAs.ContainsKey(name);
}
