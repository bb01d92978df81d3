using System.Text;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Release;

/// <summary>
/// The legal-info folder, written whole or not at all: everything goes into a staging folder
/// beside it, which replaces the old folder only once complete, with its
/// <c>legal-info.sha256</c> (as Buildroot's: <c>sha256sum</c> of every file, sorted by path).
/// An existing folder that is not a legal-info folder is never replaced (it may be anything the
/// property was pointed at by mistake).
/// </summary>
internal sealed class LegalInfoFolder : IDisposable
{
    public const string ChecksumFile = "legal-info.sha256";

    private readonly string _final;

    public LegalInfoFolder(string folder)
    {
        _final = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (Directory.Exists(_final) && Directory.EnumerateFileSystemEntries(_final).Any() && !File.Exists(Path.Combine(_final, ChecksumFile)))
        {
            throw new BrdlException(
                FailureScope.Build,
                MessageCodes.LegalInfoFolderNotOurs,
                $"{_final} exists and is not a legal-info folder (it has no {ChecksumFile}), so it is not replaced: choose another BuildrootLegalInfoDir, or empty it.");
        }

        Staging = $"{_final}.brdl-{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(Staging);
    }

    /// <summary>Where to write; it becomes the legal-info folder on <see cref="CommitAsync"/>.</summary>
    public string Staging { get; }

    public string FinalPath => _final;

    /// <summary>Writes <c>legal-info.sha256</c>, then puts the staging folder in the old one's place.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var lines = new List<(string Path, string Line)>();
        foreach (string file in Directory.EnumerateFiles(Staging, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(Staging, file).Replace(Path.DirectorySeparatorChar, '/');
            lines.Add((relative, $"{await FileDigests.Sha256Async(file, cancellationToken).ConfigureAwait(false)}  {relative}\n"));
        }

        // LC_ALL=C sort: by the bytes of the path.
        lines.Sort((a, b) => Encoding.UTF8.GetBytes(a.Path).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.Path)));
        await File.WriteAllTextAsync(Path.Combine(Staging, ChecksumFile), string.Concat(lines.Select(l => l.Line)), cancellationToken).ConfigureAwait(false);

        string? old = null;
        if (Directory.Exists(_final))
        {
            old = $"{_final}.brdl-{Guid.NewGuid():N}.old";
            Directory.Move(_final, old);
        }

        Directory.Move(Staging, _final);
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>Removes the staging folder when it was not committed.</summary>
    public void Dispose() => ScratchCleanup.Delete(Staging);
}
