namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Where a manifest belongs in a Buildroot tree, and the order make reads manifests in:
/// Buildroot's own tree before external trees, and in each tree <c>toolchain/</c>, then
/// <c>package/*/*.mk</c> sorted as <c>$(sort $(wildcard …))</c> sorts them, then <c>boot/</c>,
/// <c>linux/</c>, <c>fs/</c> (the order of Buildroot's top-level Makefile).
/// </summary>
internal static class ManifestOrder
{
    /// <summary>The top folders of a tree, in the order Buildroot's Makefile includes them.</summary>
    private static readonly string[] Sections = ["toolchain", "package", "boot", "linux", "fs"];

    /// <summary>
    /// The top of the tree a makefile belongs to (make's working directory for its relative
    /// includes): the folder above its innermost <c>package</c>, <c>boot</c>, <c>linux</c>,
    /// <c>toolchain</c> or <c>fs</c> folder; for a manifest outside such a layout, the folder above its own.
    /// </summary>
    /// <remarks>Asked for every file read: the folders are looked at as ranges of the path, and only the answer is a new string.</remarks>
    public static string TopDirectory(string path)
    {
        ReadOnlySpan<char> folder = Path.GetDirectoryName(path.AsSpan());
        for (ReadOnlySpan<char> current = folder; !current.IsEmpty; current = Path.GetDirectoryName(current))
        {
            if (IsSection(Path.GetFileName(current)))
            {
                return Path.GetDirectoryName(current).ToString();
            }
        }

        // The folder above, or the folder itself at the root.
        ReadOnlySpan<char> above = Path.GetDirectoryName(folder);
        return above.IsEmpty && (folder.IsEmpty || Path.IsPathRooted(folder)) ? folder.ToString() : above.ToString();
    }

    private static bool IsSection(ReadOnlySpan<char> name)
    {
        foreach (string section in Sections)
        {
            if (name.SequenceEqual(section))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for a Buildroot tree (it has the package infrastructures), as opposed to a BR2_EXTERNAL tree.</summary>
    public static bool IsBuildrootTree(string topDirectory) =>
        File.Exists(Path.Combine(topDirectory, "package", "pkg-generic.mk"));

    /// <summary>An infrastructure file (<c>package/pkg-generic.mk</c>…): it defines how packages are read, and declares none.</summary>
    public static bool IsInfrastructure(string path) =>
        Path.GetFileName(path).StartsWith("pkg-", StringComparison.Ordinal) && Path.GetFileName(path).EndsWith(".mk", StringComparison.Ordinal);

    /// <summary>The manifests in the order make would read them; the order they were given breaks ties between trees.</summary>
    public static IReadOnlyList<string> Sort(IReadOnlyList<string> paths)
    {
        var treeRank = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string top in paths.Select(TopDirectory).Distinct(StringComparer.Ordinal).OrderBy(top => IsBuildrootTree(top) ? 0 : 1))
        {
            treeRank[top] = treeRank.Count;
        }

        return paths
            .Select(path => (Path: path, Top: TopDirectory(path)))
            .OrderBy(entry => treeRank[entry.Top])
            .ThenBy(entry => SectionRank(entry.Top, entry.Path))
            .ThenBy(entry => Depth(entry.Top, entry.Path))
            .ThenBy(entry => entry.Path, StringComparer.Ordinal)
            .Select(entry => entry.Path)
            .ToList();
    }

    private static int SectionRank(string top, string path)
    {
        string relative = Path.GetRelativePath(top, path);
        int slash = relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        int rank = slash < 0 ? -1 : Array.IndexOf(Sections, relative[..slash]);
        return rank < 0 ? Sections.Length : rank;
    }

    private static int Depth(string top, string path) =>
        Path.GetRelativePath(top, path).Count(c => c == Path.DirectorySeparatorChar);
}
