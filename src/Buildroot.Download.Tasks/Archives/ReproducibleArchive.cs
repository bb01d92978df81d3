using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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
/// Buildroot's reproducible archive (docs/behaviour.md, "Reproducible archives"): the same
/// bytes as <c>tar --format=posix … | gzip -6 -n</c> with GNU tar 1.35.
/// The tar stream is written here (<see cref="ReproducibleTarWriter"/>), on a thread of its own,
/// while the tree is walked in sorted order, and piped straight into the host gzip from the
/// first file on; gzip's output goes to a scratch file beside the output that is renamed
/// into place only when everything succeeded.
/// </summary>
internal static class ReproducibleArchive
{
    public static async Task CreateAsync(ArchiveRequest request, ProcessRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(request.BaseName);
        long mtime = request.Date.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(mtime, "request.Date");

        // Listed before gzip starts, so that a missing folder is told as such, not as a broken pipe.
        IEnumerable<ArchiveSourceEntry> entries = ListSources(request);
        string outputPath = Path.GetFullPath(request.OutputPath);
        string scratchPath = $"{outputPath}.{Guid.NewGuid():N}.partial";
        try
        {
            ExternalCommand gzip = new ExternalCommand(request.GzipTool)
                .WithArguments("-6", "-n")
                .WithEnvironment("GZIP", null) // GNU gzip takes options from $GZIP; the reference is plain -6 -n
                .WithStandardInput((input, token) => Task.Factory.StartNew(
                    () => WriteTar(input, request, mtime, entries, token),
                    token,
                    TaskCreationOptions.LongRunning, // seconds of synchronous I/O: not on the thread pool
                    TaskScheduler.Default))
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

    private static IEnumerable<ArchiveSourceEntry> ListSources(ArchiveRequest request)
    {
        try
        {
            return ArchiveSourceTree.EnumerateSorted(request.SourceFolder, request.Exclusions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot list '{request.SourceFolder}' to archive it: {e.Message}", e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one pass per file: see ArchiveSourceTree.Next
    private static void WriteTar(Stream pipe, ArchiveRequest request, long mtime, IEnumerable<ArchiveSourceEntry> entries, CancellationToken cancellationToken)
    {
        // The pipe is not disposed here: it belongs to the process runner.
        PipeCapacity.TryEnlarge(pipe);
        var tar = new ReproducibleTarWriter(pipe, request.BaseName, mtime);
        var firstNames = new Dictionary<(ulong Device, ulong Inode), byte[]>();

        // The tree's failures come as BrdlException; an IOException here is the pipe's (gzip died).
        foreach (ArchiveSourceEntry entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.IsSymbolicLink)
            {
                tar.WriteSymbolicLink(entry.RelativePath, ReadLinkTarget(entry));
            }
            else if (entry.Status.HardLinkKey is { } key && firstNames.TryGetValue(key, out byte[]? firstName))
            {
                tar.WriteHardLink(entry.RelativePath, entry.Status.Mode, firstName);
            }
            else
            {
                if (entry.Status.HardLinkKey is { } firstKey)
                {
                    firstNames[firstKey] = entry.RelativePath;
                }

                using SourceFile content = OpenSource(entry);
                tar.WriteFile(entry.RelativePath, entry.Status.Mode, content, entry.Status.Size, entry.FullPath);
            }
        }

        tar.Finish();
    }

    private static SourceFile OpenSource(ArchiveSourceEntry entry)
    {
        try
        {
            return SourceFile.Open(entry.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot read '{entry.FullPath}' to archive it: {e.Message}", e);
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
