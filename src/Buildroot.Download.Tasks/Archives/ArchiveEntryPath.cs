using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>
/// The path of an archive entry as a list of plain names: empty and <c>.</c> parts dropped,
/// absolute paths and <c>..</c> refused (<see cref="MessageCodes.UnsafeArchiveEntry"/>).
/// </summary>
internal static class ArchiveEntryPath
{
    /// <summary>The entry's name split into parts, or an unsafe-entry error naming it.</summary>
    public static string[] Split(string name, string archivePath) => Split(name, name, archivePath, "it");

    /// <summary>A hard link's target (a path in the archive) split into parts, or an unsafe-entry error naming the link.</summary>
    public static string[] SplitHardLinkTarget(string entryName, string target, string archivePath) =>
        Split(target, entryName, archivePath, $"it is a hard link to '{target}', which");

    /// <summary>The parts left once the first <paramref name="count"/> are dropped; null when nothing is left (the entry is skipped, as tar does).</summary>
    public static string[]? Strip(string[] parts, int count) =>
        parts.Length > count ? parts[count..] : null;

    public static BrdlException Unsafe(string entryName, string archivePath, string why) =>
        new(FailureScope.WrongContent, MessageCodes.UnsafeArchiveEntry, $"Refusing to unpack '{archivePath}': its entry '{entryName}' is unsafe ({why}); nothing may reach outside the destination folder. The archive is damaged or hostile.");

    private static string[] Split(string path, string entryName, string archivePath, string subject)
    {
        if (path.StartsWith('/'))
        {
            throw Unsafe(entryName, archivePath, $"{subject} is an absolute path");
        }

        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            throw Unsafe(entryName, archivePath, $"{subject} climbs out with '..'");
        }

        return parts;
    }
}
