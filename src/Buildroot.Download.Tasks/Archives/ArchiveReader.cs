namespace Buildroot.Download.Tasks.Archives;

/// <summary>
/// Reads <c>.tar.gz</c> archives safely: nothing in an archive may land outside the folder it is
/// unpacked into (absolute paths, <c>..</c>, symlinks pointing out, hard links out are refused with
/// <see cref="Infrastructure.MessageCodes.UnsafeArchiveEntry"/>).
/// </summary>
internal static class ArchiveReader
{
    /// <summary>Unpacks <paramref name="archivePath"/> into <paramref name="destinationFolder"/>, dropping the first <paramref name="stripComponents"/> path parts.</summary>
    public static Task ExtractAsync(string archivePath, string destinationFolder, int stripComponents, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Archives room: to be written.");

    /// <summary>True when the archive holds <c>&lt;top folder&gt;/<paramref name="relativePath"/></c> (a file or a folder) under its single top folder.</summary>
    public static Task<bool> ContainsUnderTopFolderAsync(string archivePath, string relativePath, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Archives room: to be written.");
}
