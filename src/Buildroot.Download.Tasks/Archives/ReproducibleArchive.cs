using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>What to pack: see <see cref="ReproducibleArchive.CreateAsync"/>.</summary>
/// <param name="SourceFolder">The folder whose files (not folders) are archived.</param>
/// <param name="BaseName">The archive's top folder: entries are stored as <c>&lt;BaseName&gt;/path</c>.</param>
/// <param name="Date">Every entry's mtime (whole seconds, UTC).</param>
/// <param name="OutputPath">The <c>.tar.gz</c> to write.</param>
/// <param name="Exclusions">Paths relative to <paramref name="SourceFolder"/> (as <c>./path</c> or <c>path</c>) left out, with everything below them.</param>
/// <param name="GzipTool">The host <c>gzip</c>, whose <c>-6 -n</c> output is the reference bytes.</param>
internal sealed record ArchiveRequest(
    string SourceFolder,
    string BaseName,
    DateTimeOffset Date,
    string OutputPath,
    ImmutableArray<string> Exclusions,
    string GzipTool)
{
    /// <summary>When true, the gzip command line is not printed (the download is quiet).</summary>
    public bool Quiet { get; init; }
}

/// <summary>
/// Buildroot's reproducible archive (BEHAVIOUR.md, "The reproducible archive"): the same
/// bytes as <c>tar --format=posix … | gzip -6 -n</c> with GNU tar 1.35.
/// The tar stream is written here (<see cref="ReproducibleTarWriter"/>) and piped straight into
/// the host gzip, whose output goes to a scratch file beside the output that is renamed
/// into place only when everything succeeded.
/// </summary>
internal static class ReproducibleArchive
{
    private const int PipeBufferSize = 256 * 1024;

    /// <summary>Windows has no mode bits: files are archived as 0644, as git would check them out there.</summary>
    private const UnixFileMode WindowsFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task CreateAsync(ArchiveRequest request, ProcessRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(request.BaseName);
        long mtime = request.Date.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(mtime, "request.Date");

        List<ArchiveSourceEntry> entries = ListSources(request);
        string outputPath = Path.GetFullPath(request.OutputPath);
        string scratchPath = $"{outputPath}.{Guid.NewGuid():N}.partial";
        try
        {
            ExternalCommand gzip = new ExternalCommand(request.GzipTool)
                .WithArguments("-6", "-n")
                .WithEnvironment("GZIP", null) // GNU gzip takes options from $GZIP; the reference is plain -6 -n
                .WithStandardInput((input, token) => WriteTarAsync(input, request.BaseName, mtime, entries, token))
                .WithStandardOutputTo(scratchPath)
                .WithMissingToolHint("Install gzip, or set BuildrootGzipPath to its path.")
                with { Quiet = request.Quiet };
            try
            {
                await runner.RunAsync(gzip, cancellationToken).ConfigureAwait(false);
            }
            catch (BrdlException e) when (e.Code == MessageCodes.ToolNotFound)
            {
                throw new BrdlException(
                    FailureScope.Build,
                    MessageCodes.GzipMissing,
                    $"Cannot run gzip ('{request.GzipTool}') to compress {outputPath}: install gzip, or set BuildrootGzipPath to its path.",
                    e);
            }

            File.Move(scratchPath, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(scratchPath);
        }
    }

    private static List<ArchiveSourceEntry> ListSources(ArchiveRequest request)
    {
        try
        {
            return ArchiveSourceTree.ListSorted(request.SourceFolder, request.Exclusions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot list '{request.SourceFolder}' to archive it: {e.Message}", e);
        }
    }

    private static async Task WriteTarAsync(
        Stream pipe,
        string baseName,
        long mtime,
        List<ArchiveSourceEntry> entries,
        CancellationToken cancellationToken)
    {
        // Not disposed: that would close the pipe, which belongs to the process runner.
        var buffered = new BufferedStream(pipe, PipeBufferSize);
        var tar = new ReproducibleTarWriter(buffered, baseName, mtime);
        var firstNames = new Dictionary<(ulong Device, ulong Inode), byte[]>();
        foreach (ArchiveSourceEntry entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.IsSymbolicLink)
            {
                await tar.WriteSymbolicLinkAsync(entry.RelativePath, ReadLinkTarget(entry), cancellationToken).ConfigureAwait(false);
            }
            else if (entry.HardLinkKey is { } key && firstNames.TryGetValue(key, out byte[]? firstName))
            {
                await tar.WriteHardLinkAsync(entry.RelativePath, ReadMode(entry), firstName, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (entry.HardLinkKey is { } firstKey)
                {
                    firstNames[firstKey] = entry.RelativePath;
                }

                await using FileStream content = OpenSource(entry);
                UnixFileMode mode = OperatingSystem.IsWindows() ? WindowsFileMode : File.GetUnixFileMode(content.SafeFileHandle);
                await tar.WriteFileAsync(entry.RelativePath, mode, content, content.Length, entry.FullPath, cancellationToken).ConfigureAwait(false);
            }
        }

        await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private static FileStream OpenSource(ArchiveSourceEntry entry)
    {
        try
        {
            return new FileStream(entry.FullPath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
                BufferSize = 0, // the tar writer reads in large chunks itself
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot read '{entry.FullPath}' to archive it: {e.Message}", e);
        }
    }

    private static UnixFileMode ReadMode(ArchiveSourceEntry entry)
    {
        try
        {
            return OperatingSystem.IsWindows() ? WindowsFileMode : File.GetUnixFileMode(entry.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot read the mode of '{entry.FullPath}' to archive it: {e.Message}", e);
        }
    }

    private static byte[] ReadLinkTarget(ArchiveSourceEntry entry)
    {
        string? target;
        try
        {
            target = new FileInfo(entry.FullPath).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot read the symbolic link '{entry.FullPath}' to archive it: {e.Message}", e);
        }

        return target is null
            ? throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"'{entry.FullPath}' stopped being a symbolic link while it was being archived; nothing may change the folder meanwhile.")
            : System.Text.Encoding.UTF8.GetBytes(target);
    }
}
