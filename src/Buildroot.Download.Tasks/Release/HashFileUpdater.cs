using System.Collections.Immutable;
using System.Text;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Release;

/// <summary>
/// Buildroot's <c>utils/add-custom-hashes</c> for one package: every file it downloads that its
/// hash files do not list (a new version, a new patch) is downloaded — checked against nothing,
/// so it is as the network serves it now — and <c>sha256  &lt;hex&gt;  &lt;file&gt;</c> is added to
/// the package's first hash file, each line printed with a warning saying so. Never for a
/// transient package (its content changes at every fetch), nor for a source Buildroot never
/// checks (hg, bzr, cvs archives are not reproducible).
/// </summary>
internal sealed class HashFileUpdater
{
    private readonly DownloadFolder _folder;
    private readonly PackageDownloader _downloader;
    private readonly IBuildLog _log;

    /// <param name="settings">The build's settings; files no hash file lists are accepted unchecked here.</param>
    /// <param name="scratch">This build's scratch space, for the downloads.</param>
    public HashFileUpdater(DownloadSettings settings, DownloadServices services, ScratchSpace scratch)
    {
        DownloadSettings trusting = settings with { AcceptFilesNotInHashFiles = true };
        _folder = new DownloadFolder(trusting.DownloadDirectory, trusting.ScratchDirectory);
        _downloader = new PackageDownloader(trusting, services, scratch);
        _log = services.Log;
    }

    /// <returns>The lines added (none when every file is listed).</returns>
    /// <param name="manifestHashFile">
    /// For a package read from a manifest: Buildroot's <c>&lt;name&gt;.hash</c> beside it, which the
    /// package names only once it exists; the lines go there when the package names no other.
    /// </param>
    public async Task<ImmutableArray<string>> UpdateAsync(PackageSpec package, string? manifestHashFile, CancellationToken cancellationToken)
    {
        if (package.TransientDownload)
        {
            _log.Detail($"{package.Name}: a transient download; its hashes are never recorded (it changes at every fetch).");
            return ImmutableArray<string>.Empty;
        }

        HashFileSet? hashFiles = null;
        PackageFile[] unlisted = PackageFiles.Of(package, _folder)
            .Where(file => PackageHashChecks.IsChecked(package, file.IsMainSource) && !IsListed(package, hashFiles ??= HashFileSet.Read(package.HashFiles), file))
            .ToArray();
        if (unlisted.Length == 0)
        {
            return ImmutableArray<string>.Empty;
        }

        string? hashFile = package.HashFiles.FirstOrDefault() ?? manifestHashFile;
        if (hashFile is null)
        {
            _log.Warning(
                MessageCodes.NoHashFileToUpdate,
                $"{package.Name}: {string.Join(", ", unlisted.Select(f => f.FileName))} {(unlisted.Length == 1 ? "has" : "have")} no hash, and the package names no hash file to add one to: set its HashFiles metadata (e.g. HashFiles=\"{package.RawName}.hash\"), then run BuildrootUpdateHashes again.");
            return ImmutableArray<string>.Empty;
        }

        await _downloader.DownloadAsync(package, cancellationToken).ConfigureAwait(false);
        var lines = ImmutableArray.CreateBuilder<string>(unlisted.Length);
        foreach (PackageFile file in unlisted)
        {
            lines.Add($"sha256  {await FileDigests.Sha256Async(file.Path, cancellationToken).ConfigureAwait(false)}  {file.FileName}");
        }

        await AppendAsync(hashFile, lines, cancellationToken).ConfigureAwait(false);
        foreach (string line in lines)
        {
            _log.Warning(
                MessageCodes.HashLineAdded,
                $"{package.Name}: added to {hashFile}: {line} -- this hash only records the file as the network served it now, not a value its authors published: compare it with upstream's published checksum or signature before you commit it.");
        }

        return lines.MoveToImmutable();
    }

    private static bool IsListed(PackageSpec package, HashFileSet hashFiles, PackageFile file) =>
        !hashFiles.ExpectationsFor(file.FileName, file.IsMainSource ? package.InlineHashes : []).Entries.IsEmpty;

    /// <summary>
    /// Adds the lines under a <c># Locally calculated</c> comment (Buildroot's words for hashes it
    /// computed itself), replacing the file at once; a hash file that is a link (Buildroot links
    /// some) is written through it, so the link stays.
    /// </summary>
    private static async Task AppendAsync(string hashFile, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        string target = hashFile;
        var text = new StringBuilder();
        try
        {
            if (File.Exists(hashFile))
            {
                target = new FileInfo(hashFile).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? hashFile;
                text.Append(await File.ReadAllTextAsync(target, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.HashFileUnreadable, $"Cannot read the hash file {target}: {e.Message}", e);
        }

        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        text.Append("# Locally calculated (BuildrootUpdateHashes)\n");
        foreach (string line in lines)
        {
            text.Append(line).Append('\n');
        }

        await AtomicFile.WriteAsync(target, text.ToString(), MessageCodes.HashFileNotWritten, cancellationToken).ConfigureAwait(false);
    }
}
