using System.Text;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// A submodule's <c>.git</c> is a file saying where its repository is (<c>gitdir: …</c>) and it
/// goes into the archive. Older gits write an absolute path there, which would put the cache's
/// location into the archive's bytes; it is made relative, as newer gits write it.
/// </summary>
internal static class GitSubmoduleGitdirs
{
    private const string Prefix = "gitdir: ";

    /// <summary>The folders (relative to <paramref name="workTree"/>) of the submodules among <paramref name="files"/>.</summary>
    public static IEnumerable<string> SubmoduleFolders(IEnumerable<string> files) =>
        files.Where(f => f.EndsWith("/.git", StringComparison.Ordinal)).Select(f => f[..^"/.git".Length]);

    /// <summary>Rewrites every <c>gitdir:</c> pointing into <paramref name="workTree"/> by an absolute path to a relative one.</summary>
    public static void MakeRelative(string workTree, IEnumerable<string> submoduleFolders)
    {
        string absolutePrefix = Prefix + Path.TrimEndingDirectorySeparator(Path.GetFullPath(workTree)) + "/";
        foreach (string folder in submoduleFolders)
        {
            string gitFile = Path.Combine(workTree, folder, ".git");
            string text = File.ReadAllText(gitFile, Encoding.UTF8);
            if (!text.StartsWith(absolutePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            // From <workTree>/a/b, the work tree is ../../
            string upToWorkTree = string.Concat(Enumerable.Repeat("../", folder.Split('/').Length));
            string temporary = gitFile + ".br-temp";
            File.WriteAllText(temporary, Prefix + upToWorkTree + text[absolutePrefix.Length..], new UTF8Encoding(false));
            File.Move(temporary, gitFile, overwrite: true);
        }
    }
}
