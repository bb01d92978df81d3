namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The regular files of a checked-out work tree (submodules included), as paths relative to
/// it with <c>/</c> separators, leaving out the top-level <c>.git</c> folder. Symlinks are not
/// followed nor listed: nothing is ever rewritten through one.
/// </summary>
internal static class GitWorkTreeFiles
{
    private static readonly EnumerationOptions AllEntries = new()
    {
        // On Unix, dotfiles count as hidden: .gitattributes and submodules' .git must be seen.
        AttributesToSkip = FileAttributes.None,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
    };

    public static IReadOnlyList<string> List(string workTree)
    {
        var files = new List<string>();
        var folders = new Stack<(string Path, string Relative)>();
        folders.Push((workTree, string.Empty));
        while (folders.Count > 0)
        {
            (string folder, string relative) = folders.Pop();
            foreach (FileSystemInfo entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", AllEntries))
            {
                string entryRelative = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                // The attribute comes from the lstat done while listing; LinkTarget would readlink every file.
                if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    continue;
                }

                if (entry is DirectoryInfo)
                {
                    if (!(relative.Length == 0 && entry.Name == ".git"))
                    {
                        folders.Push((entry.FullName, entryRelative));
                    }
                }
                else
                {
                    files.Add(entryRelative);
                }
            }
        }

        return files;
    }
}
